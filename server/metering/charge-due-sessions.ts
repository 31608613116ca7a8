import type { Db } from '../db/types.ts';
import { DEFAULT_METERING, type MeteringConfig } from './config.ts';
import { lockBalances, meteredFromRow } from './lock-rows.ts';
import { planCharges } from './plan-charges.ts';
import type { SessionRow } from './session-row.ts';
import { writeCharges } from './write-charges.ts';

export interface TickResult {
  /** Sessions metered in this tick. */
  sessions: number;
  /** µcr charged in this tick. */
  charged: bigint;
  /** Sessions this tick ended, by id. */
  ended: string[];
  batches: number;
}

/**
 * One metering tick at time `now`: charges every live session what it owes, in
 * batches of `batchSize`, each batch one transaction of a few set-based
 * statements. Sessions another worker holds are skipped (it is charging them),
 * so any number of workers may tick at once.
 */
export async function chargeDueSessions(
  db: Db,
  now: number,
  config: Pick<MeteringConfig, 'heartbeatTimeoutMs' | 'batchSize'> = DEFAULT_METERING,
): Promise<TickResult> {
  const result: TickResult = { sessions: 0, charged: 0n, ended: [], batches: 0 };
  const nowIso = new Date(now).toISOString();
  const lostBefore = new Date(now - config.heartbeatTimeoutMs).toISOString();
  let afterId = '00000000-0000-0000-0000-000000000000';

  for (;;) {
    const planned = await db.transaction(async (tx) => {
      // Due: something may be owed (served time not yet charged) or the client is lost.
      const { rows } = await tx.query<SessionRow>(
        `SELECT id, user_id, rate, started_at, charged_until, charged_total, last_heartbeat_at
         FROM proxy_sessions
         WHERE status = 'active' AND id > $4
           AND (charged_until < LEAST($1::timestamptz, last_heartbeat_at) OR last_heartbeat_at < $2::timestamptz)
         ORDER BY id
         LIMIT $3
         FOR UPDATE SKIP LOCKED`,
        [nowIso, lostBefore, config.batchSize, afterId],
      );
      if (rows.length === 0) return [];
      const sessions = rows.map(meteredFromRow);
      const balances = await lockBalances(
        tx,
        sessions.map((s) => s.userId),
      );
      const planned = planCharges(sessions, balances, { now, heartbeatTimeoutMs: config.heartbeatTimeoutMs });
      await writeCharges(tx, planned, now);
      return planned;
    });
    for (const p of planned) {
      result.charged += p.charge;
      if (p.endReason) result.ended.push(p.sessionId);
    }
    result.sessions += planned.length;
    if (planned.length > 0) result.batches += 1;
    if (planned.length < config.batchSize) return result;
    afterId = planned[planned.length - 1]!.sessionId;
  }
}
