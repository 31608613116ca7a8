import type { MicroCredits } from '../../shared/money.ts';
import type { Queryable } from '../db/types.ts';
import type { EntryKind } from './entries.ts';

/**
 * One change to the books, as `ledger_post` (migration 008) takes it: the only
 * writer of wallets and ledger entries. `amount` moves the balance now; when
 * `post`, an entry of `accrued + amount` is written (`accrued`: what earlier
 * moves took from the balance and this entry now posts, such as a session's
 * minutes since its last usage line).
 */
export interface Move {
  userId: string;
  kind: EntryKind;
  amount: MicroCredits;
  accrued?: MicroCredits;
  post: boolean;
  clamp?: boolean;
  sessionId?: string | null;
  paymentId?: string | null;
  idempotencyKey?: string | null;
  description?: string;
  metadata?: Record<string, unknown>;
}

export interface Posted {
  userId: string;
  sessionId: string | null;
  /** What moved the balance (a clamped debit may take less than asked). */
  applied: MicroCredits;
  /** The balance right after this move. */
  balance: MicroCredits;
  /** The posted balance after its entry; null when it wrote none. */
  balanceAfter: MicroCredits | null;
}

// The fields of a `ledger_move`, in order, for SQL callers to select by these names.
const FIELDS =
  'user_id, kind, amount, accrued, post, clamp, session_id, payment_id, idempotency_key, description, metadata';

/**
 * The posting call as SQL, for a statement that decides its moves itself (the
 * metering tick), so they never travel to the application. `moves` is a SELECT
 * of the `ledger_move` fields by name, ordered as they are to be taken; `at` the
 * time (an SQL expression). Yields `ledger_post`'s rows (n, user_id, session_id,
 * applied, balance, balance_after).
 */
export function ledgerPostSql(moves: string, at: string): string {
  // Not called at all without moves: most of a desktop's ticks find nothing due.
  return `SELECT * FROM ledger_post(ARRAY(SELECT ROW(${FIELDS})::ledger_move FROM (${moves}) AS m), ${at})
          WHERE EXISTS (SELECT 1 FROM (${moves}) AS any_move)`;
}

/** Posts `moves` in this order, in the caller's transaction. `at`: the injected clock; the database's otherwise. */
export async function postMoves(tx: Queryable, moves: readonly Move[], at?: number): Promise<Posted[]> {
  if (moves.length === 0) return [];
  const column = <T>(pick: (m: Move) => T) => moves.map(pick);
  const { rows } = await tx.query<{
    user_id: string;
    session_id: string | null;
    applied: bigint;
    balance: bigint;
    balance_after: bigint | null;
  }>(
    ledgerPostSql(
      `SELECT * FROM unnest($1::uuid[], $2::text[], $3::int8[], $4::int8[], $5::bool[], $6::bool[], $7::uuid[],
                            $8::uuid[], $9::text[], $10::text[], $11::jsonb[]) AS c (${FIELDS})`,
      '$12::timestamptz',
    ),
    [
      column((m) => m.userId),
      column((m) => m.kind),
      column((m) => m.amount),
      column((m) => m.accrued ?? 0n),
      column((m) => m.post),
      column((m) => m.clamp ?? false),
      column((m) => m.sessionId ?? null),
      column((m) => m.paymentId ?? null),
      column((m) => m.idempotencyKey ?? null),
      column((m) => m.description ?? ''),
      column((m) => JSON.stringify(m.metadata ?? {})),
      at === undefined ? null : new Date(at).toISOString(),
    ],
  );
  return rows.map((r) => ({
    userId: r.user_id,
    sessionId: r.session_id,
    applied: r.applied,
    balance: r.balance,
    balanceAfter: r.balance_after,
  }));
}
