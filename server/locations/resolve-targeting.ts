import type { CountryView } from '../../shared/api/locations.ts';
import { AppError } from '../../shared/errors.ts';
import { parseTargeting, type Targeting } from '../../shared/targeting.ts';

const same = (a: string, b: string) => a.localeCompare(b, 'en', { sensitivity: 'accent' }) === 0;

function unknown(what: string, value: string, where: string): AppError {
  return new AppError('unknown_location', `${what} "${value}" is not served in ${where}`, { [what]: value });
}

/**
 * Checks a targeting choice against what the exits can serve and returns it in
 * the catalog's own spelling. A city must lie in the chosen state when both are given.
 */
export function resolveTargeting(catalog: readonly CountryView[], input: unknown): Targeting {
  const targeting = parseTargeting(input);
  const country = catalog.find((c) => c.code === targeting.country);
  if (!country) throw unknown('country', targeting.country, 'any location we serve');
  const resolved: Targeting = { country: country.code };

  const states =
    targeting.state === undefined ? country.states : country.states.filter((s) => same(s.name, targeting.state!));
  if (targeting.state !== undefined) {
    if (states.length === 0) throw unknown('state', targeting.state, country.name);
    resolved.state = states[0]!.name;
  }
  if (targeting.city !== undefined) {
    const city = states.flatMap((s) => s.cities).find((c) => same(c, targeting.city!));
    if (!city) throw unknown('city', targeting.city, resolved.state ?? country.name);
    resolved.city = city;
  }
  if (targeting.isp !== undefined) {
    const isp = country.isps.find((i) => same(i, targeting.isp!));
    if (!isp) throw unknown('isp', targeting.isp, country.name);
    resolved.isp = isp;
  }
  return resolved;
}
