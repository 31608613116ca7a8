import type { Queryable } from '../db/types.ts';
import { announceWalletChanges } from '../ledger/wallet-changes.ts';
import { WRITE_CHARGES_SQL } from './charge-batch.sql.ts';
import type { PlannedCharge } from './plan-charges.ts';

/**
 * Applies planned charges set-based, in one statement however many sessions:
 * the same settling as the tick (the ledger takes the charges, usage lines for
 * sessions that end or enter a new hour). The caller holds the session and
 * wallet locks; `planned` must come from `planCharges` on those locked rows.
 */
export async function writeCharges(tx: Queryable, planned: readonly PlannedCharge[], now: number): Promise<void> {
  if (planned.length === 0) return;
  await tx.query(WRITE_CHARGES_SQL, [
    new Date(now).toISOString(),
    planned.map((p) => p.sessionId),
    planned.map((p) => p.charge),
    planned.map((p) => new Date(p.billTo).toISOString()),
    planned.map((p) => p.endReason),
  ]);
  await announceWalletChanges(
    tx,
    planned.map((p) => p.userId),
  );
}
