import { create, type StateCreator } from 'zustand';
import { createActivitySlice, type ActivitySlice } from './activity-slice.ts';
import { createConnectionSlice, type ConnectionSlice } from './connection-slice.ts';
import { createLinkSlice, type LinkSlice } from './link-slice.ts';
import { createLocationsSlice, type LocationsSlice } from './locations-slice.ts';
import { createNoticesSlice, type NoticesSlice } from './notices-slice.ts';
import { createPurchaseSlice, type PurchaseSlice } from './purchase-slice.ts';
import { createSessionModeSlice, type SessionModeSlice } from './session-mode-slice.ts';
import { createSettingsSlice, type SettingsSlice } from './settings-slice.ts';
import { createWalletSlice, type WalletSlice } from './wallet-slice.ts';

export type AppStore = WalletSlice &
  ConnectionSlice &
  LocationsSlice &
  PurchaseSlice &
  ActivitySlice &
  SettingsSlice &
  NoticesSlice &
  LinkSlice &
  SessionModeSlice;

/** A slice sees the whole store (to read across slices) but contributes only its own part. */
export type SliceOf<T> = StateCreator<AppStore, [], [], T>;

/** The window's one store; read it through selectors (store/selectors.ts), never whole. */
export const useAppStore = create<AppStore>()((...args) => ({
  ...createWalletSlice(...args),
  ...createConnectionSlice(...args),
  ...createLocationsSlice(...args),
  ...createPurchaseSlice(...args),
  ...createActivitySlice(...args),
  ...createSettingsSlice(...args),
  ...createNoticesSlice(...args),
  ...createLinkSlice(...args),
  ...createSessionModeSlice(...args),
}));

/** Back to first paint: for tests, and for switching accounts. */
export function resetStore(): void {
  useAppStore.setState(useAppStore.getInitialState(), true);
}
