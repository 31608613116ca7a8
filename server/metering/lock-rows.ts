import type { MicroCredits } from '../../shared/money.ts';
import type { Queryable } from '../db/types.ts';
import type { MeteredSession } from './plan-charges.ts';
import type { SessionRow } from './session-row.ts';

export function meteredFromRow(row: SessionRow): MeteredSession {
  return {
    id: row.id,
    userId: row.user_id,
    rate: row.rate,
    startedAt: row.started_at.getTime(),
    chargedUntil: row.charged_until.getTime(),
    chargedTotal: row.charged_total,
    lastHeartbeatAt: row.last_heartbeat_at.getTime(),
    unservedMs: Number(row.unserved_ms),
  };
}

/**
 * Locks the wallets of these users in user-id order (one consistent order, so
 * two workers never deadlock) and returns their balances.
 */
export async function lockBalances(tx: Queryable, userIds: Iterable<string>): Promise<Map<string, MicroCredits>> {
  const { rows } = await tx.query<{ user_id: string; balance: bigint }>(
    'SELECT user_id, balance FROM wallets WHERE user_id = ANY($1::uuid[]) ORDER BY user_id FOR UPDATE',
    [[...new Set(userIds)]],
  );
  return new Map(rows.map((r) => [r.user_id, r.balance]));
}
