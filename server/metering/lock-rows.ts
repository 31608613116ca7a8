import type { MeteredSession } from './plan-charges.ts';
import type { SessionRow } from '../sessions/session-row.ts';

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
