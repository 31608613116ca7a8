import { costOver, type MicroCredits } from '../../shared/money.ts';
import { servedBetween, type ServiceEvidence } from './served-time.ts';
import type { EndReason } from '../sessions/session-row.ts';

/** What the planner needs to know of a live session. */
export interface MeteredSession {
  id: string;
  userId: string;
  rate: MicroCredits;
  startedAt: number;
  chargedUntil: number;
  chargedTotal: MicroCredits;
  lastHeartbeatAt: number;
  /** Time before the last heartbeat that was not served (gaps), never billed. */
  unservedMs: number;
}

export interface PlannedCharge {
  sessionId: string;
  userId: string;
  /** µcr to take now (≥ 0). */
  charge: MicroCredits;
  /** The wallet balance right after this charge. */
  balanceAfter: MicroCredits;
  /** The new charged_until (ms). */
  billTo: number;
  endReason: EndReason | null;
}

export interface PlanOptions extends Partial<ServiceEvidence> {
  now: number;
  heartbeatTimeoutMs: number;
  /** End these sessions now for this reason (a disconnect); others end only when they must. */
  endingNow?: { reason: EndReason };
  /**
   * Bill to now where the evidence proves the session served until now (the
   * exhaustion check), not only to the last heartbeat; ends only those that must.
   */
  toNow?: boolean;
}

/** Served milliseconds from a session's start to `billTo`. */
export function servedMs(session: MeteredSession, billTo: number): bigint {
  return BigInt(Math.max(0, billTo - session.startedAt - session.unservedMs));
}

/**
 * The metering rule, pure: a session owes floor(rate × served / 1h) minus what
 * it was charged, where served runs from its start to its last heartbeat (or
 * now, whichever is earlier) less the gaps it was not served (`unservedMs`, see
 * served-time.ts): nobody pays for time the client could not prove.
 * Owed is cumulative, so a missed or repeated tick neither loses nor doubles a
 * micro-credit. A user's sessions share one balance, taken in the given order;
 * a session ends when the balance cannot pay it or is exhausted.
 */
export function planCharges(
  sessions: readonly MeteredSession[],
  balances: ReadonlyMap<string, MicroCredits>,
  options: PlanOptions,
): PlannedCharge[] {
  const remaining = new Map(balances);
  return sessions.map((session) => {
    const lost = options.now - session.lastHeartbeatAt > options.heartbeatTimeoutMs;
    // A disconnect proves the client was there until now, if the gap since its last heartbeat
    // was short enough and a gateway was up; a lost client is proven only until its last heartbeat.
    const toNow =
      (options.endingNow || options.toNow) &&
      !lost &&
      servedBetween(session.lastHeartbeatAt, options.now, {
        heartbeatGapMs: options.heartbeatGapMs ?? options.heartbeatTimeoutMs,
        gatewayUpSince: options.gatewayUpSince,
      });
    const provenUntil = toNow ? options.now : Math.min(options.now, session.lastHeartbeatAt);
    const billTo = Math.max(session.chargedUntil, provenUntil);
    const owed = costOver(session.rate, servedMs(session, billTo)) - session.chargedTotal;
    const balance = remaining.get(session.userId) ?? 0n;
    const charge = owed <= 0n ? 0n : owed < balance ? owed : balance;
    remaining.set(session.userId, balance - charge);

    let endReason: EndReason | null = null;
    if (lost) endReason = 'client_lost';
    else if (charge < owed) endReason = 'insufficient_credits';
    else if (options.endingNow) endReason = options.endingNow.reason;
    else if (balance - charge === 0n) endReason = 'insufficient_credits';
    return { sessionId: session.id, userId: session.userId, charge, balanceAfter: balance - charge, billTo, endReason };
  });
}
