import type { MicroCredits } from '../../shared/money.ts';
import type { Queryable } from '../db/types.ts';

/** A user's balance now, and their latest credit entry (a purchase, bonus or positive adjustment). */
export interface CreditStanding {
  balance: MicroCredits;
  latestCredit: {
    entryId: string;
    /** What the user held right after it (not the posted balance, which includes usage not yet posted). */
    balanceAfter: MicroCredits;
  } | null;
}

/**
 * Both read in one statement, so from one snapshot: read apart, a credit committed
 * between the two reads looked like a new crossing below the threshold, and auto
 * top-up charged twice for one. Reads only.
 */
export async function creditStanding(db: Queryable, userId: string): Promise<CreditStanding | null> {
  // Entries from before balance_available was recorded: their posted balance is the best there is.
  const { rows } = await db.query<{ balance: bigint; entry_id: string | null; balance_after: bigint | null }>(
    `SELECT w.balance, e.id::text AS entry_id,
            COALESCE((e.metadata->>'balance_available')::bigint, e.balance_after) AS balance_after
     FROM wallets w
     LEFT JOIN LATERAL (
       SELECT id, metadata, balance_after FROM ledger_entries
       WHERE user_id = w.user_id AND amount > 0 ORDER BY id DESC LIMIT 1
     ) e ON true
     WHERE w.user_id = $1`,
    [userId],
  );
  const row = rows[0];
  if (!row) return null;
  const latestCredit = row.entry_id === null ? null : { entryId: row.entry_id, balanceAfter: row.balance_after! };
  return { balance: row.balance, latestCredit };
}
