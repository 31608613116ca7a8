import type { UsageResponse } from '../../shared/api/credits.ts';
import type { WalletSnapshot } from '../../shared/ipc/views.ts';
import type { SliceOf } from './app-store.ts';
import { atlantic } from './bridge-ref.ts';
import { loadInto, notLoaded, type Loadable } from './loadable.ts';

export type UsageDay = UsageResponse['days'][number];

export interface WalletSlice {
  /** The core's latest snapshot; null until app.state answers. */
  wallet: WalletSnapshot | null;
  usage: Loadable<UsageDay[]>;
  applyWallet(snapshot: WalletSnapshot): void;
  refreshWallet(): Promise<void>;
  loadUsage(days?: number): Promise<void>;
}

export const createWalletSlice: SliceOf<WalletSlice> = (set) => ({
  wallet: null,
  usage: notLoaded(),
  applyWallet: (snapshot) => set({ wallet: snapshot }),
  refreshWallet: async () => {
    // A failed refresh comes back as an offline snapshot, not an error; only a dead bridge throws.
    try {
      set({ wallet: await atlantic().wallet.refresh() });
    } catch {
      /* the offline banner already covers it */
    }
  },
  loadUsage: (days = 30) =>
    loadInto(
      (next) => set((s) => ({ usage: next(s.usage) })),
      async () => (await atlantic().credits.usage({ days })).days,
    ),
});
