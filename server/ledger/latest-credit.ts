import type { Queryable } from '../db/types.ts';

/** A user's latest credit entry (a purchase, bonus or positive adjustment) and the posted balance it left. */
export interface LatestCredit {
  entryId: string;
  balanceAfter: bigint;
}

/** The latest credit in a user's books, or null when they have none. Reads only. */
export async function latestCredit(db: Queryable, userId: string): Promise<LatestCredit | null> {
  // Named apart from `id`, so the ORDER BY takes the bigint column and not the text (where '9' > '10').
  const { rows } = await db.query<{ entry_id: string; balance_after: bigint }>(
    `SELECT id::text AS entry_id, balance_after FROM ledger_entries
     WHERE user_id = $1 AND amount > 0 ORDER BY id DESC LIMIT 1`,
    [userId],
  );
  const row = rows[0];
  return row ? { entryId: row.entry_id, balanceAfter: row.balance_after } : null;
}
