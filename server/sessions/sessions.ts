import { instant } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { isUuid } from '../../shared/ids.ts';
import { costOver, formatCredits } from '../../shared/money.ts';
import { rateOf, tierOf } from '../../shared/pricing.ts';
import { parseTargeting } from '../../shared/targeting.ts';
import type { Db, Queryable } from '../db/types.ts';
import { announceWalletChanges } from '../ledger/wallet-changes.ts';
import { lockBalances, lockWallet } from '../ledger/wallets.ts';
import { DEFAULT_METERING, type MeteringConfig } from '../metering/config.ts';
import { meteredFromRow } from '../metering/lock-rows.ts';
import { planCharges } from '../metering/plan-charges.ts';
import { unservedUntil } from '../metering/served-time.ts';
import { END_REASONS, sessionFromRow, type EndReason, type ProxySession, type SessionRow } from './session-row.ts';
import { writeCharges } from '../metering/write-charges.ts';

type Config = Pick<MeteringConfig, 'pricing' | 'heartbeatTimeoutMs'> &
  Partial<Pick<MeteringConfig, 'heartbeatGapMs' | 'maxLiveSessions'>>;

/** What the caller knows of the gateways now (see served-time.ts); omitted: not part of the rule. */
export interface GatewayEvidence {
  gatewayUpSince?: number | null;
}

const gapOf = (config: Config) => config.heartbeatGapMs ?? DEFAULT_METERING.heartbeatGapMs;

export interface SessionRef {
  sessionId: string;
  /** When given, the session must belong to this user (else it is unknown to them). */
  userId?: string;
}

/**
 * Starts a metered session. The balance must cover the minimum (one hour by
 * default) of all the user's live sessions together, the new one included, and
 * a user holds at most `maxLiveSessions`: both are checked under the wallet's
 * row lock, so parallel connects queue and cannot all pass.
 */
export async function startSession(
  db: Db,
  request: { userId: string; targeting: unknown; now: number; gatewayPasswordHash?: string },
  config: Config = DEFAULT_METERING,
): Promise<ProxySession> {
  const targeting = parseTargeting(request.targeting);
  if (!isUuid(request.userId)) throw new AppError('unknown_user', 'no such user');
  const at = new Date(instant(request.now)).toISOString();
  const tier = tierOf(targeting, config.pricing);
  const rate = rateOf(tier, config.pricing);
  const maxLive = config.maxLiveSessions ?? DEFAULT_METERING.maxLiveSessions;
  return db.transaction(async (tx) => {
    const balance = await lockWallet(tx, request.userId);
    const { rows: live } = await tx.query<{ sessions: number; rate: bigint }>(
      `SELECT count(*)::int AS sessions, COALESCE(sum(rate), 0)::bigint AS rate
       FROM proxy_sessions WHERE user_id = $1 AND status = 'active'`,
      [request.userId],
    );
    const { sessions, rate: liveRate } = live[0]!;
    if (sessions >= maxLive) {
      throw new AppError(
        'too_many_sessions',
        `You already have ${sessions} live sessions, the most one account may hold at once. Disconnect one first.`,
        { live_sessions: sessions, max_live_sessions: maxLive },
      );
    }
    const minutes = config.pricing.minStartMinutes;
    const needed = costOver(liveRate + rate, BigInt(minutes) * 60_000n);
    if (balance < needed) {
      const what =
        sessions === 0 ? 'this session' : `this session and your ${sessions} live one${sessions > 1 ? 's' : ''}`;
      throw new AppError(
        'insufficient_credits',
        `Connecting needs ${formatCredits(needed)} credits, ${minutes} minutes of ${what}; your balance is ${formatCredits(balance)}.`,
        { tier, needed: Number(needed), balance: Number(balance), live_sessions: sessions },
      );
    }
    const { rows } = await tx.query<SessionRow>(
      `INSERT INTO proxy_sessions (user_id, targeting, tier, rate, started_at, charged_until, last_heartbeat_at,
         gateway_password_hash)
       VALUES ($1, $2, $3, $4, $5, $5, $5, $6) RETURNING *`,
      [request.userId, JSON.stringify(targeting), tier, rate, at, request.gatewayPasswordHash ?? null],
    );
    // Its live sessions and burn rate are part of the wallet's summary.
    await announceWalletChanges(tx, [request.userId]);
    return sessionFromRow(rows[0]!);
  });
}

async function lockSession(tx: Queryable, ref: SessionRef): Promise<SessionRow> {
  if (!isUuid(ref.sessionId) || (ref.userId !== undefined && !isUuid(ref.userId))) {
    throw new AppError('unknown_session', 'no such session');
  }
  const { rows } = await tx.query<SessionRow>('SELECT * FROM proxy_sessions WHERE id = $1 FOR UPDATE', [ref.sessionId]);
  const row = rows[0];
  if (!row || (ref.userId !== undefined && row.user_id !== ref.userId)) {
    throw new AppError('unknown_session', 'no such session');
  }
  return row;
}

function endedError(row: SessionRow): AppError {
  return new AppError('session_ended', `the session has ended (${row.end_reason})`, { reason: row.end_reason });
}

export interface EndResult {
  session: ProxySession;
  /** µcr charged by this end (the last partial minute). */
  charged: bigint;
}

/**
 * Ends a live session now, charging what it owes up to now pro rata (or, for a
 * client already lost, up to its last heartbeat). Ending an ended session is
 * refused with `session_ended` and changes nothing.
 */
export async function endSession(
  db: Db,
  request: SessionRef & GatewayEvidence & { reason: EndReason; now: number },
  config: Config = DEFAULT_METERING,
): Promise<EndResult> {
  if (!END_REASONS.includes(request.reason)) throw new AppError('invalid_input', 'unknown end reason');
  instant(request.now);
  return db.transaction(async (tx) => {
    const row = await lockSession(tx, request);
    if (row.status === 'ended') throw endedError(row);
    const session = meteredFromRow(row);
    const balances = await lockBalances(tx, [session.userId]);
    const [planned] = planCharges([session], balances, {
      now: request.now,
      heartbeatTimeoutMs: config.heartbeatTimeoutMs,
      heartbeatGapMs: gapOf(config),
      gatewayUpSince: request.gatewayUpSince,
      endingNow: { reason: request.reason },
    });
    await writeCharges(tx, [planned!], request.now);
    const { rows } = await tx.query<SessionRow>('SELECT * FROM proxy_sessions WHERE id = $1', [row.id]);
    return { session: sessionFromRow(rows[0]!), charged: planned!.charge };
  });
}

/**
 * Records that the client is still there. The time since the last heartbeat is
 * served only if the gap was short enough and a gateway was up throughout;
 * otherwise it is added to the session's unserved time and never billed. A
 * heartbeat after the timeout is too late: the session ends `client_lost`
 * (charged to its last heartbeat) and the caller gets `session_ended`.
 */
export async function heartbeat(
  db: Db,
  request: SessionRef & GatewayEvidence & { now: number },
  config: Config = DEFAULT_METERING,
): Promise<ProxySession & { unservedGapMs: number }> {
  const at = new Date(instant(request.now)).toISOString();
  // Null when the heartbeat came too late.
  const alive = await db.transaction(async (tx): Promise<(ProxySession & { unservedGapMs: number }) | null> => {
    const row = await lockSession(tx, request);
    if (row.status === 'ended') throw endedError(row);
    const last = row.last_heartbeat_at.getTime();
    if (request.now - last > config.heartbeatTimeoutMs) return null;
    const unserved = unservedUntil(last, request.now, {
      heartbeatGapMs: gapOf(config),
      gatewayUpSince: request.gatewayUpSince,
    });
    const { rows } = await tx.query<SessionRow>(
      `UPDATE proxy_sessions SET last_heartbeat_at = GREATEST(last_heartbeat_at, $2::timestamptz),
         unserved_ms = unserved_ms + $3
       WHERE id = $1 RETURNING *`,
      [row.id, at, unserved],
    );
    // A gap left unbilled means the session resumes burning: its user's exhaustion moment moves.
    return { ...sessionFromRow(rows[0]!), unservedGapMs: unserved };
  });
  if (alive) return alive;
  const { session } = await endSession(db, { ...request, reason: 'client_lost' }, config);
  throw new AppError('session_ended', 'the session has ended (client_lost)', { reason: session.endReason });
}

export async function getSession(db: Queryable, ref: SessionRef): Promise<ProxySession> {
  if (!isUuid(ref.sessionId)) throw new AppError('unknown_session', 'no such session');
  const { rows } = await db.query<SessionRow>('SELECT * FROM proxy_sessions WHERE id = $1', [ref.sessionId]);
  const row = rows[0];
  if (!row || (ref.userId !== undefined && row.user_id !== ref.userId)) {
    throw new AppError('unknown_session', 'no such session');
  }
  return sessionFromRow(row);
}
