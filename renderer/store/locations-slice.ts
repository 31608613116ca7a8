import type { LocationsResponse } from '../../shared/api/locations.ts';
import type { SliceOf } from './app-store.ts';
import { atlantic } from './bridge-ref.ts';
import {
  affordableChoice,
  choiceOf,
  narrowed,
  noChoice,
  withImpliedState,
  type LocationChoice,
  type LocationField,
} from './choice.ts';
import { loadInto, notLoaded, type Loadable } from './loadable.ts';

export { targetingOf, type LocationChoice, type LocationField } from './choice.ts';

export interface LocationsSlice {
  locations: Loadable<LocationsResponse>;
  choice: LocationChoice;
  loadLocations(): Promise<void>;
  choose(field: LocationField, value: string): void;
  /** Lets go of what the balance no longer pays for (after every wallet change). */
  fitChoiceToWallet(): void;
}

export const createLocationsSlice: SliceOf<LocationsSlice> = (set, get) => {
  const fitted = (choice: LocationChoice) => affordableChoice(choice, get().wallet?.features ?? null);
  return {
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
        set({ choice: fitted(withImpliedState(choiceOf(last), locations.data)) });
      } else if (locations.data.countries[0]) {
        set({ choice: { ...noChoice, country: locations.data.countries[0].code.toLowerCase() } });
      }
    },
    choose: (field, value) =>
      set((s) => ({ choice: fitted(narrowed(s.choice, field, value, s.locations.data ?? null)) })),
    fitChoiceToWallet: () => {
      const { choice } = get();
      const next = fitted(choice);
      if (next !== choice) set({ choice: next });
    },
  };
};
