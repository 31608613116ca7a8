import type { Db, Queryable } from '../db/types.ts';

/**
 * NOTIFY channel carrying the user id of every wallet whose summary (balance,
 * totals, live sessions) changed, or `*` for "any of them", from any process.
 * Caches of the summary drop what it names.
 */
export const WALLET_CHANGED_CHANNEL = 'atlantic_wallet_changed';
export const EVERY_WALLET = '*';

/** Announces changed wallets; delivered when the caller's transaction commits. */
export async function announceWalletChanges(
  tx: Queryable,
  userIds: Iterable<string> | typeof EVERY_WALLET,
): Promise<void> {
  await tx.notify(WALLET_CHANGED_CHANNEL, userIds === EVERY_WALLET ? [EVERY_WALLET] : [...new Set(userIds)]);
}

/** Calls `onChanged` with a user id (or `*`) for every committed wallet change, this process's at once. */
export function onWalletChanges(db: Db, onChanged: (userId: string) => void): Promise<() => Promise<void>> {
  return db.listen(WALLET_CHANGED_CHANNEL, onChanged);
}
