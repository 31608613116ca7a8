import type { MicroCredits } from '../../shared/money.ts';
import type { Db, Queryable } from '../db/types.ts';
import type { MeteringConfig } from './config.ts';
import { walletsRunningOut } from '../ledger/wallet-summary.ts';
import { balancesOf, lockBalances } from '../ledger/wallets.ts';
import { meteredFromRow } from './lock-rows.ts';
import { planCharges, type PlanOptions } from './plan-charges.ts';
import { servedBetween, type ServiceEvidence } from './served-time.ts';
import type { SessionRow } from '../sessions/session-row.ts';
import { writeCharges } from './write-charges.ts';

type Config = Pick<MeteringConfig, 'heartbeatTimeoutMs' | 'heartbeatGapMs'>;
type Evidence = Pick<ServiceEvidence, 'gatewayUpSince'>;

const planOptions = (now: number, config: Config, evidence: Evidence): PlanOptions => ({
  now,
  heartbeatTimeoutMs: config.heartbeatTimeoutMs,
  heartbeatGapMs: config.heartbeatGapMs,
  gatewayUpSince: evidence.gatewayUpSince,
  toNow: true,
});

async function liveSessions(db: Queryable, userId: string, lock: boolean): Promise<SessionRow[]> {
  const { rows } = await db.query<SessionRow>(
    `SELECT * FROM proxy_sessions WHERE user_id = $1 AND status = 'active' ORDER BY id${lock ? ' FOR UPDATE' : ''}`,
    [userId],
  );
  return rows;
}

/**
 * When the user's balance will be spent by their live sessions, served as they
 * are now (ms); null when nothing is burning it (no live session proven to now).
 * Owed is floored per session, so the true moment can be a few ms later than
 * this: `endIfExhausted` then finds it not yet reached and the watch asks again.
 */
export async function exhaustionMoment(
  db: Queryable,
  userId: string,
  now: number,
  config: Config,
  evidence: Evidence,
): Promise<number | null> {
  const rows = await liveSessions(db, userId, false);
  if (rows.length === 0) return null;
  const balance = (await balancesOf(db, [userId])).get(userId)!;
  const sessions = rows.map(meteredFromRow);
  const options = planOptions(now, config, evidence);
  // What they owe up to now, were it all charged this moment (balances unlimited for the sum).
  const owed = planCharges(sessions, new Map([[userId, 1n << 62n]]), options).reduce((sum, p) => sum + p.charge, 0n);
  const burning = sessions.filter(
    (s) =>
      now - s.lastHeartbeatAt <= config.heartbeatTimeoutMs &&
      servedBetween(s.lastHeartbeatAt, now, { heartbeatGapMs: config.heartbeatGapMs, ...evidence }),
  );
  const rate = burning.reduce((sum, s) => sum + s.rate, 0n);
  const left = balance - owed;
  if (left <= 0n) return now;
  if (rate === 0n) return null;
  return now + Number((left * 3_600_000n + rate - 1n) / rate);
}

/**
 * Ends the user's live sessions if their balance is spent by now: each is charged
 * to now what it owes, the balance shared in id order, and those it cannot pay (or
 * that empty it) end `insufficient_credits`, leaving the balance at exactly 0.
 * Changes nothing while the balance still covers them. Ids of the sessions ended.
 */
export async function endIfExhausted(
  db: Db,
  userId: string,
  now: number,
  config: Config,
  evidence: Evidence,
): Promise<string[]> {
  return db.transaction(async (tx) => {
    // Sessions before the wallet, as the tick and a disconnect lock them: the other way round,
    // this and a tick batch charging the same user could each wait for the other.
    const rows = await liveSessions(tx, userId, true);
    if (rows.length === 0) return [];
    const balances: Map<string, MicroCredits> = await lockBalances(tx, [userId]);
    const planned = planCharges(rows.map(meteredFromRow), balances, planOptions(now, config, evidence));
    if (!planned.some((p) => p.endReason === 'insufficient_credits')) return [];
    await writeCharges(tx, planned, now);
    return planned.filter((p) => p.endReason !== null).map((p) => p.sessionId);
  });
}

/**
 * Users whose balance lasts less than `horizonMs` at the combined rate of their
 * live sessions: the ones the exhaustion watch must time to the second.
 */
export const usersNearExhaustion = walletsRunningOut;
