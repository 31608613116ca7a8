import type { CountryView } from '../../shared/api/locations.ts';
import { AppError } from '../../shared/errors.ts';
import { parseTargeting, type Targeting } from '../../shared/targeting.ts';

/** "new_york", "New-York" and "new york" name one place: the seed's slugs and words, either way round. */
const spelled = (name: string) => name.replace(/[_\-\s]+/g, ' ').trim();
const same = (a: string, b: string) => spelled(a).localeCompare(spelled(b), 'en', { sensitivity: 'accent' }) === 0;

function unknown(field: keyof Targeting, value: string, where: string): AppError {
  const what = field === 'isp' ? 'ISP' : field;
  return new AppError(
    'unknown_location',
    `We don't offer the ${what} "${value}" in ${where}. Choose one from the locations list.`,
    { [field]: value },
  );
}

/**
 * Checks a targeting choice against what the exits can serve and returns it in
 * the catalog's own spelling. A city must lie in the chosen state when both are
 * given; a city alone implies its state (one exit, one targeting, one price).
 */
export function resolveTargeting(catalog: readonly CountryView[], input: unknown): Targeting {
  const targeting = parseTargeting(input);
  const country = catalog.find((c) => c.code === targeting.country);
  if (!country) throw unknown('country', targeting.country.toUpperCase(), 'any location we serve');
  const resolved: Targeting = { country: country.code };

  const states =
    targeting.state === undefined ? country.states : country.states.filter((s) => same(s.name, targeting.state!));
  if (targeting.state !== undefined) {
    if (states.length === 0) throw unknown('state', targeting.state, country.name);
    resolved.state = states[0]!.name;
  }
  if (targeting.city !== undefined) {
    const home = states.find((s) => s.cities.some((c) => same(c, targeting.city!)));
    if (!home) throw unknown('city', targeting.city, resolved.state ?? country.name);
    resolved.state = home.name;
    resolved.city = home.cities.find((c) => same(c, targeting.city!))!;
  }
  if (targeting.isp !== undefined) {
    const isp = country.isps.find((i) => same(i, targeting.isp!));
    if (!isp) throw unknown('isp', targeting.isp, country.name);
    resolved.isp = isp;
  }
  return { country: resolved.country, ...pick(resolved) };
}

// The same key order every time, so equal choices serialise equally.
const pick = ({ state, city, isp }: Targeting) => ({
  ...(state === undefined ? {} : { state }),
  ...(city === undefined ? {} : { city }),
  ...(isp === undefined ? {} : { isp }),
});
