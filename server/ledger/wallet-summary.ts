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
