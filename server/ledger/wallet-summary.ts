import type { MicroCredits } from '../../shared/money.ts';
import type { Queryable } from '../db/types.ts';

export interface WalletSummary {
  balance: MicroCredits;
  totalPurchased: MicroCredits;
  totalSpent: MicroCredits;
  activeSessions: number;
  /** µcr per hour the live sessions burn together. */
  burnRate: MicroCredits;
}

/** The wallet and its live burn rate in one query: every client polls this. */
export async function getWalletSummary(db: Queryable, userId: string): Promise<WalletSummary | null> {
  const { rows } = await db.query<{
    balance: bigint;
    total_purchased: bigint;
    total_spent: bigint;
    active_sessions: bigint;
    burn_rate: bigint;
  }>(
    `SELECT w.balance, w.total_purchased, w.total_spent,
            count(s.id) AS active_sessions, COALESCE(sum(s.rate), 0)::bigint AS burn_rate
     FROM wallets w LEFT JOIN proxy_sessions s ON s.user_id = w.user_id AND s.status = 'active'
     WHERE w.user_id = $1
     GROUP BY w.user_id`,
    [userId],
    { name: 'wallet_summary' },
  );
  const row = rows[0];
  if (!row) return null;
  return {
    balance: row.balance,
    totalPurchased: row.total_purchased,
    totalSpent: row.total_spent,
    activeSessions: Number(row.active_sessions),
    burnRate: row.burn_rate,
  };
}

/**
 * Users whose balance lasts less than `horizonMs` at the combined rate of their
 * live sessions. One aggregate over the live sessions (by the partial index on
 * active sessions).
 */
export async function walletsRunningOut(db: Queryable, horizonMs: number): Promise<string[]> {
  const { rows } = await db.query<{ user_id: string }>(
    `SELECT w.user_id
     FROM proxy_sessions s JOIN wallets w ON w.user_id = s.user_id
     WHERE s.status = 'active'
     GROUP BY w.user_id, w.balance
     HAVING w.balance * 3600000 < sum(s.rate) * $1::bigint`,
    [horizonMs],
  );
  return rows.map((r) => r.user_id);
}
