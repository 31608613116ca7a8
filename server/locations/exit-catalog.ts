import type { CountryView } from '../../shared/api/locations.ts';
import { DEFAULT_CATALOG } from './default-catalog.ts';
import type { Exit } from './exits.ts';

const same = (a: string, b: string) => a.localeCompare(b, 'en', { sensitivity: 'accent' }) === 0;
const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

function countryName(code: string): string {
  return DEFAULT_CATALOG.find((c) => c.code === code)?.name ?? regionNames.of(code.toUpperCase()) ?? code.toUpperCase();
}

/** The catalog groups cities under states; a city tagged without its state takes the one the default catalog knows. */
function stateOfCity(exit: Exit, city: string): string {
  const known = DEFAULT_CATALOG.find((c) => c.code === exit.tags.country)?.states.find((s) =>
    s.cities.some((c) => same(c, city)),
  );
  if (!known) throw new Error(`exit ${exit.id}: tag a state for the city "${city}"`);
  return known.name;
}

function addOnce(list: string[], value: string): void {
  if (!list.some((v) => same(v, value))) list.push(value);
}

/**
 * The locations a set of exits can serve, for `GET /api/locations` and the
 * connect check, so a user is never offered a place no exit reaches.
 */
export function catalogOf(exits: readonly Exit[]): CountryView[] {
  const countries: CountryView[] = [];
  for (const exit of exits) {
    const { country: code, state, city, isp } = exit.tags;
    let country = countries.find((c) => c.code === code);
    if (!country) countries.push((country = { code, name: countryName(code), states: [], isps: [] }));
    const stateName = state ?? (city === undefined ? undefined : stateOfCity(exit, city));
    if (stateName !== undefined) {
      let entry = country.states.find((s) => same(s.name, stateName));
      if (!entry) country.states.push((entry = { name: stateName, cities: [] }));
      if (city !== undefined) addOnce(entry.cities, city);
    }
    if (isp !== undefined) addOnce(country.isps, isp);
  }
  return countries;
}
