import type { UsageResponse } from '../../shared/api/credits.ts';
import type { WalletSnapshot } from '../../shared/ipc/views.ts';
import type { SliceOf } from './app-store.ts';
import { atlantic } from './bridge-ref.ts';
import { loadInto, notLoaded, type Loadable } from './loadable.ts';
import { speedBetween, type Speed } from './traffic-speed.ts';

export type UsageDay = UsageResponse['days'][number];

export interface WalletSlice {
  /** The core's latest snapshot; null until app.state answers. */
  wallet: WalletSnapshot | null;
  usage: Loadable<UsageDay[]>;
  /** Live up/down speed while connected. */
  speed: Speed | null;
  applyWallet(snapshot: WalletSnapshot): void;
  refreshWallet(): Promise<void>;
  loadUsage(days?: number): Promise<void>;
}

export const createWalletSlice: SliceOf<WalletSlice> = (set, get) => ({
  wallet: null,
  usage: notLoaded(),
  speed: null,
  applyWallet: (snapshot) => {
    const previous = get().wallet;
    set({ wallet: snapshot, speed: speedBetween(previous, snapshot, get().speed) });
    get().fitChoiceToWallet();
    const before = previous?.balance;
    const after = snapshot.balance;
    // Credits arrived (bought here or anywhere): "your credits ran out" is old news.
    if (before && after && after.balance_micro > before.balance_micro) get().acknowledgeEnd();
    // Spending moved: a chart on screen shows today's bar growing, not "nothing spent".
    if (before && after && after.total_spent_micro !== before.total_spent_micro && get().usage.status === 'ready') {
      void get().loadUsage();
    }
  },
  refreshWallet: async () => {
    // A failed refresh comes back as an offline snapshot, not an error; only a dead bridge throws.
    try {
      get().applyWallet(await atlantic().wallet.refresh());
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
