import { instant } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { isUuid } from '../../shared/ids.ts';
import { minStartBalance, rateOf, tierOf } from '../../shared/pricing.ts';
import { parseTargeting } from '../../shared/targeting.ts';
import type { Db, Queryable } from '../db/types.ts';
import { announceWalletChanges } from '../ledger/wallet-changes.ts';
import { lockWallet } from '../ledger/wallets.ts';
import { DEFAULT_METERING, type MeteringConfig } from './config.ts';
import { lockBalances, meteredFromRow } from './lock-rows.ts';
import { planCharges } from './plan-charges.ts';
import { END_REASONS, sessionFromRow, type EndReason, type ProxySession, type SessionRow } from './session-row.ts';
import { writeCharges } from './write-charges.ts';

type Config = Pick<MeteringConfig, 'pricing' | 'heartbeatTimeoutMs'>;

export interface SessionRef {
  sessionId: string;
  /** When given, the session must belong to this user (else it is unknown to them). */
  userId?: string;
}

/**
 * Starts a metered session. The balance must cover the tier's minimum (one hour
 * by default); the wallet is locked so a concurrent debit cannot slip between.
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
  const needed = minStartBalance(tier, config.pricing);
  return db.transaction(async (tx) => {
    const balance = await lockWallet(tx, request.userId);
    if (balance < needed) {
      throw new AppError('insufficient_credits', `a ${tier} session needs a balance of at least ${needed} µcr`, {
        tier,
        needed: Number(needed),
        balance: Number(balance),
      });
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
  request: SessionRef & { reason: EndReason; now: number },
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
      endingNow: { reason: request.reason },
    });
    await writeCharges(tx, [planned!], request.now);
    const { rows } = await tx.query<SessionRow>('SELECT * FROM proxy_sessions WHERE id = $1', [row.id]);
    return { session: sessionFromRow(rows[0]!), charged: planned!.charge };
  });
}

/**
 * Records that the client is still there. A heartbeat after the timeout is too
 * late: the session ends `client_lost` (charged to its last heartbeat) and the
 * caller gets `session_ended`.
 */
export async function heartbeat(
  db: Db,
  request: SessionRef & { now: number },
  config: Config = DEFAULT_METERING,
): Promise<ProxySession> {
  const at = new Date(instant(request.now)).toISOString();
  // Null when the heartbeat came too late.
  const alive = await db.transaction(async (tx): Promise<ProxySession | null> => {
    const row = await lockSession(tx, request);
    if (row.status === 'ended') throw endedError(row);
    if (request.now - row.last_heartbeat_at.getTime() > config.heartbeatTimeoutMs) return null;
    const { rows } = await tx.query<SessionRow>(
      'UPDATE proxy_sessions SET last_heartbeat_at = GREATEST(last_heartbeat_at, $2::timestamptz) WHERE id = $1 RETURNING *',
      [row.id, at],
    );
    return sessionFromRow(rows[0]!);
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
