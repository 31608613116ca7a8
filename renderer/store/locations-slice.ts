import type { LocationsResponse } from '../../shared/api/locations.ts';
import type { Targeting } from '../../shared/targeting.ts';
import type { SliceOf } from './app-store.ts';
import { atlantic } from './bridge-ref.ts';
import { loadInto, notLoaded, type Loadable } from './loadable.ts';

/** What the Locations page has picked so far; '' means "any". */
export interface LocationChoice {
  country: string;
  state: string;
  city: string;
  isp: string;
}

export type LocationField = keyof LocationChoice;

export interface LocationsSlice {
  locations: Loadable<LocationsResponse>;
  choice: LocationChoice;
  loadLocations(): Promise<void>;
  choose(field: LocationField, value: string): void;
}

const noChoice: LocationChoice = { country: '', state: '', city: '', isp: '' };

/** A narrower pick depends on the wider ones: a new country clears the rest, a new state its city. */
function narrowed(choice: LocationChoice, field: LocationField, value: string): LocationChoice {
  if (field === 'country') return { ...noChoice, country: value };
  if (field === 'state') return { ...choice, state: value, city: '' };
  return { ...choice, [field]: value };
}

export function targetingOf(choice: LocationChoice): Targeting | null {
  if (!choice.country) return null;
  const targeting: Targeting = { country: choice.country };
  if (choice.state) targeting.state = choice.state;
  if (choice.city) targeting.city = choice.city;
  if (choice.isp) targeting.isp = choice.isp;
  return targeting;
}

export const createLocationsSlice: SliceOf<LocationsSlice> = (set, get) => ({
  locations: notLoaded(),
  choice: noChoice,
  loadLocations: async () => {
    await loadInto(
      (next) => set((s) => ({ locations: next(s.locations) })),
      () => atlantic().locations.list(),
    );
    const { locations, choice, settings } = get();
    if (choice.country || !locations.data) return;
    // Start from the tray's last location when the catalog still offers it, else the first country.
    const last = settings?.last_location;
    const offered = (code: string) => locations.data!.countries.some((c) => c.code.toLowerCase() === code);
    if (last && offered(last.country.toLowerCase())) {
      set({
        choice: {
          country: last.country.toLowerCase(),
          state: last.state ?? '',
          city: last.city ?? '',
          isp: last.isp ?? '',
        },
      });
    } else if (locations.data.countries[0]) {
      set({ choice: { ...noChoice, country: locations.data.countries[0].code.toLowerCase() } });
    }
  },
  choose: (field, value) => set((s) => ({ choice: narrowed(s.choice, field, value) })),
});
