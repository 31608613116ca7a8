import type { MicroCredits } from '../../shared/money.ts';
import type { Tier } from '../../shared/pricing.ts';
import type { SessionMode } from '../../shared/session-mode.ts';
import type { Targeting } from '../../shared/targeting.ts';

export const END_REASONS = ['disconnected', 'insufficient_credits', 'client_lost', 'admin', 'signed_out'] as const;
export type EndReason = (typeof END_REASONS)[number];

export interface ProxySession {
  id: string;
  userId: string;
  targeting: Targeting;
  tier: Tier;
  /** µcr per hour. */
  rate: MicroCredits;
  startedAt: Date;
  chargedUntil: Date;
  chargedTotal: MicroCredits;
  lastHeartbeatAt: Date;
  endedAt: Date | null;
  endReason: EndReason | null;
  status: 'active' | 'ended';
  bytesUp: bigint;
  bytesDown: bigint;
  /** How its exit identity behaves (server/sessions/session-mode.ts); sticky by default. */
  sessionMode?: SessionMode;
  stickyMinutes?: number;
}

export interface SessionRow {
  id: string;
  user_id: string;
  targeting: Targeting;
  tier: Tier;
  rate: bigint;
  started_at: Date;
  charged_until: Date;
  charged_total: bigint;
  last_heartbeat_at: Date;
  ended_at: Date | null;
  end_reason: EndReason | null;
  status: 'active' | 'ended';
  bytes_up: bigint;
  bytes_down: bigint;
  session_mode?: SessionMode;
  sticky_minutes?: number;
  /** Gaps not served (ms), left out of what the session owes. */
  unserved_ms: bigint;
}

export function sessionFromRow(row: SessionRow): ProxySession {
  return {
    id: row.id,
    userId: row.user_id,
    targeting: row.targeting,
    tier: row.tier,
    rate: row.rate,
    startedAt: row.started_at,
    chargedUntil: row.charged_until,
    chargedTotal: row.charged_total,
    lastHeartbeatAt: row.last_heartbeat_at,
    endedAt: row.ended_at,
    endReason: row.end_reason,
    status: row.status,
    bytesUp: row.bytes_up,
    bytesDown: row.bytes_down,
    sessionMode: row.session_mode,
    stickyMinutes: row.sticky_minutes,
  };
}
