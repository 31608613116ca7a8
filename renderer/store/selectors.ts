import type { SessionView } from '../../shared/api/proxy.ts';
import type { AppStore } from './app-store.ts';

// Atomic selectors: each returns one value already held in the store, so a
// component re-renders only when that value changes.

export const selectWallet = (s: AppStore) => s.wallet;
export const selectBalance = (s: AppStore) => s.wallet?.balance ?? null;
export const selectBalanceMicro = (s: AppStore) => s.wallet?.balance?.balance_micro ?? null;
export const selectFeatures = (s: AppStore) => s.wallet?.features ?? null;
/** Rates as the service serves them: from the wallet's features, or the packages answer before that. */
export const selectRates = (s: AppStore) => s.wallet?.features?.rates ?? s.packages.data?.rates ?? null;
export const selectConnection = (s: AppStore) => s.connection;
export const selectInfo = (s: AppStore) => s.info;
export const selectSettings = (s: AppStore) => s.settings;
export const selectSystemProxy = (s: AppStore) => s.desktop?.system_proxy ?? null;
export const selectUpdate = (s: AppStore) => s.desktop?.update ?? null;
export const selectBoot = (s: AppStore) => s.boot;
export const selectNotices = (s: AppStore) => s.notices;

/** The live session: the wallet's (fresh cost and time left) or, right after Connect, the connection's. */
export function selectLiveSession(s: AppStore): SessionView | null {
  const fromWallet = s.wallet?.active_session ?? null;
  if (s.connection.status === 'connected') {
    return fromWallet?.id === s.connection.session.id ? fromWallet : s.connection.session;
  }
  if (s.connection.status === 'ended') return null;
  return fromWallet;
}
