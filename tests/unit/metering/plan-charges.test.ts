import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planCharges, type MeteredSession, type PlanOptions } from '../../../server/metering/plan-charges.ts';
import { unservedUntil, type ServiceEvidence } from '../../../server/metering/served-time.ts';
import { costOver, credits, type MicroCredits } from '../../../shared/money.ts';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const SECOND = 1_000;
const MINUTE = 60_000;
const TIMEOUT = 90_000;
const CITY = 750_000n;
const STATE = 850_000n;

function session(overrides: Partial<MeteredSession> = {}): MeteredSession {
  return {
    id: 's1',
    userId: 'u1',
    rate: CITY,
    startedAt: T0,
    chargedUntil: T0,
    chargedTotal: 0n,
    lastHeartbeatAt: T0,
    unservedMs: 0,
    ...overrides,
  };
}

function plan(sessions: MeteredSession[], balances: Record<string, MicroCredits>, options: Partial<PlanOptions>) {
  return planCharges(sessions, new Map(Object.entries(balances)), {
    now: T0,
    heartbeatTimeoutMs: TIMEOUT,
    ...options,
  });
}

function planOne(s: MeteredSession, balance: MicroCredits, options: Partial<PlanOptions>) {
  const [only, ...rest] = plan([s], { [s.userId]: balance }, options);
  expect(rest).toEqual([]);
  return only!;
}

describe('planCharges', () => {
  it('charges a city session 12,500 µcr one minute after it started', () => {
    const now = T0 + MINUTE;
    const charge = planOne(session({ lastHeartbeatAt: now }), credits('27'), { now });
    expect(charge).toEqual({
      sessionId: 's1',
      userId: 'u1',
      charge: 12_500n,
      balanceAfter: credits('27') - 12_500n,
      billTo: now,
      endReason: null,
    });
  });

  it('charges only what is owed beyond what was already charged', () => {
    const now = T0 + 2 * MINUTE;
    const s = session({ chargedUntil: T0 + MINUTE, chargedTotal: 12_500n, lastHeartbeatAt: now });
    const charge = planOne(s, 1_000_000n, { now });
    expect(charge.charge).toBe(12_500n);
    expect(charge.balanceAfter).toBe(987_500n);
    expect(charge.billTo).toBe(now);
  });

  it('carries fractions of a micro-credit forward instead of losing them each tick', () => {
    // 850,000 µcr/h is 236.1 µcr a second: ticks of 1 s charge 236, 236, 236, … and every ninth 237.
    let s = session({ rate: STATE });
    let balance = credits('10');
    const charges: bigint[] = [];
    for (let second = 1; second <= 36; second++) {
      const now = T0 + second * SECOND;
      const c = planOne({ ...s, lastHeartbeatAt: now }, balance, { now });
      charges.push(c.charge);
      s = { ...s, chargedUntil: c.billTo, chargedTotal: s.chargedTotal + c.charge };
      balance = c.balanceAfter;
    }
    expect(s.chargedTotal).toBe(8_500n);
    expect(charges.filter((c) => c === 237n)).toHaveLength(4);
    expect(charges.filter((c) => c === 236n)).toHaveLength(32);
    expect(balance).toBe(credits('10') - 8_500n);
  });

  it('charges nothing on a repeated tick at the same time', () => {
    const now = T0 + MINUTE;
    const s = session({ chargedUntil: now, chargedTotal: 12_500n, lastHeartbeatAt: now });
    const charge = planOne(s, 1_000_000n, { now });
    expect(charge.charge).toBe(0n);
    expect(charge.balanceAfter).toBe(1_000_000n);
    expect(charge.endReason).toBeNull();
  });

  it('bills only up to the last heartbeat when it is earlier than now', () => {
    const charge = planOne(session({ lastHeartbeatAt: T0 + 45 * SECOND }), 1_000_000n, { now: T0 + MINUTE });
    expect(charge.billTo).toBe(T0 + 45 * SECOND);
    expect(charge.charge).toBe(9_375n);
    expect(charge.endReason).toBeNull();
  });

  it('bills only up to now when a heartbeat is stamped later than now', () => {
    const charge = planOne(session({ lastHeartbeatAt: T0 + 2 * MINUTE }), 1_000_000n, { now: T0 + MINUTE });
    expect(charge.billTo).toBe(T0 + MINUTE);
    expect(charge.charge).toBe(12_500n);
  });

  it('ends a client silent longer than the timeout as lost, charged only to its last heartbeat', () => {
    const lastHeartbeatAt = T0 + 30 * SECOND;
    const charge = planOne(session({ lastHeartbeatAt }), 1_000_000n, { now: lastHeartbeatAt + TIMEOUT + 1 });
    expect(charge.endReason).toBe('client_lost');
    expect(charge.billTo).toBe(lastHeartbeatAt);
    expect(charge.charge).toBe(6_250n);
    expect(charge.balanceAfter).toBe(993_750n);
  });

  it('does not call a client lost at exactly the timeout', () => {
    const lastHeartbeatAt = T0 + 30 * SECOND;
    const charge = planOne(session({ lastHeartbeatAt }), 1_000_000n, { now: lastHeartbeatAt + TIMEOUT });
    expect(charge.endReason).toBeNull();
    expect(charge.billTo).toBe(lastHeartbeatAt);
  });

  it('takes what is left and ends the session when the balance cannot pay', () => {
    const now = T0 + MINUTE;
    const charge = planOne(session({ lastHeartbeatAt: now }), 5_000n, { now });
    expect(charge.charge).toBe(5_000n);
    expect(charge.balanceAfter).toBe(0n);
    expect(charge.endReason).toBe('insufficient_credits');
  });

  it('ends the session when the charge empties the balance exactly', () => {
    const now = T0 + MINUTE;
    const charge = planOne(session({ lastHeartbeatAt: now }), 12_500n, { now });
    expect(charge.charge).toBe(12_500n);
    expect(charge.balanceAfter).toBe(0n);
    expect(charge.endReason).toBe('insufficient_credits');
  });

  it('treats a user missing from the balances as having nothing', () => {
    const now = T0 + MINUTE;
    const [charge] = plan([session({ lastHeartbeatAt: now })], {}, { now });
    expect(charge!.charge).toBe(0n);
    expect(charge!.balanceAfter).toBe(0n);
    expect(charge!.endReason).toBe('insufficient_credits');
  });

  it("shares one user's balance between their sessions, in the given order", () => {
    const now = T0 + MINUTE;
    const a = session({ id: 'a', lastHeartbeatAt: now });
    const b = session({ id: 'b', lastHeartbeatAt: now });
    const [first, second] = plan([a, b], { u1: 20_000n }, { now });
    expect(first).toMatchObject({ sessionId: 'a', charge: 12_500n, balanceAfter: 7_500n, endReason: null });
    expect(second).toMatchObject({
      sessionId: 'b',
      charge: 7_500n,
      balanceAfter: 0n,
      endReason: 'insufficient_credits',
    });

    const [second2, first2] = plan([b, a], { u1: 20_000n }, { now });
    expect(second2).toMatchObject({ sessionId: 'b', charge: 12_500n, endReason: null });
    expect(first2).toMatchObject({ sessionId: 'a', charge: 7_500n, endReason: 'insufficient_credits' });
  });

  it("keeps different users' balances apart", () => {
    const now = T0 + MINUTE;
    const mine = session({ id: 'a', userId: 'u1', lastHeartbeatAt: now });
    const theirs = session({ id: 'b', userId: 'u2', lastHeartbeatAt: now });
    const [a, b] = plan([mine, theirs], { u1: 5_000n, u2: 1_000_000n }, { now });
    expect(a).toMatchObject({ charge: 5_000n, balanceAfter: 0n, endReason: 'insufficient_credits' });
    expect(b).toMatchObject({ charge: 12_500n, balanceAfter: 987_500n, endReason: null });
  });

  it('does not change the balances it is given', () => {
    const now = T0 + MINUTE;
    const balances = new Map([['u1', 1_000_000n]]);
    planCharges([session({ lastHeartbeatAt: now })], balances, { now, heartbeatTimeoutMs: TIMEOUT });
    expect(balances.get('u1')).toBe(1_000_000n);
  });

  it('bills a disconnect up to now and ends it with the given reason', () => {
    const now = T0 + MINUTE;
    const s = session({ lastHeartbeatAt: T0 + 50 * SECOND });
    const charge = planOne(s, 1_000_000n, { now, endingNow: { reason: 'disconnected' } });
    expect(charge.billTo).toBe(now);
    expect(charge.charge).toBe(12_500n);
    expect(charge.endReason).toBe('disconnected');

    expect(planOne(s, 1_000_000n, { now, endingNow: { reason: 'signed_out' } }).endReason).toBe('signed_out');
  });

  it('ends a disconnect for lack of credits when the balance cannot pay to now', () => {
    const now = T0 + MINUTE;
    const charge = planOne(session({ lastHeartbeatAt: now }), 100n, { now, endingNow: { reason: 'disconnected' } });
    expect(charge.charge).toBe(100n);
    expect(charge.endReason).toBe('insufficient_credits');
  });

  it('bills a disconnect of an already lost client only to its last heartbeat', () => {
    const now = T0 + 5 * MINUTE;
    const s = session({ lastHeartbeatAt: T0 + MINUTE });
    const charge = planOne(s, 1_000_000n, { now, endingNow: { reason: 'disconnected' } });
    expect(charge.billTo).toBe(T0 + MINUTE);
    expect(charge.charge).toBe(12_500n);
    expect(charge.endReason).toBe('client_lost');
  });

  it('never moves billTo backwards when charged_until is later than now', () => {
    const s = session({ chargedUntil: T0 + 2 * MINUTE, chargedTotal: 25_000n, lastHeartbeatAt: T0 + MINUTE });
    const charge = planOne(s, 1_000_000n, { now: T0 + MINUTE });
    expect(charge.billTo).toBe(T0 + 2 * MINUTE);
    expect(charge.charge).toBe(0n);
    expect(charge.balanceAfter).toBe(1_000_000n);
  });

  it('never moves billTo backwards when the last heartbeat is earlier than charged_until', () => {
    const s = session({ chargedUntil: T0 + MINUTE, chargedTotal: 12_500n, lastHeartbeatAt: T0 + 30 * SECOND });
    const charge = planOne(s, 1_000_000n, { now: T0 + MINUTE + SECOND });
    expect(charge.billTo).toBe(T0 + MINUTE);
    expect(charge.charge).toBe(0n);
  });
});

type Event = { kind: 'heartbeat' | 'tick' | 'disconnect'; after: number };

const event: fc.Arbitrary<Event> = fc.record({
  kind: fc.constantFrom<Event['kind']>('heartbeat', 'heartbeat', 'tick', 'tick', 'disconnect'),
  after: fc.integer({ min: 0, max: 2 * TIMEOUT }),
});

describe('planCharges, fed back its own results', () => {
  it('never charges more than the cost to billTo, never overdraws, and charges it exactly while the balance lasts', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(500_000n, 750_000n, 850_000n, 1_000_000n, 1n, 3_599_999n),
        fc.bigInt({ min: 0n, max: 200_000n }),
        fc.array(event, { maxLength: 60 }),
        (rate, initial, events) => {
          let s = session({ rate });
          let balance = initial;
          let now = T0;
          for (const { kind, after } of events) {
            now += after;
            if (kind === 'heartbeat') {
              s = { ...s, lastHeartbeatAt: now };
              continue;
            }
            const endingNow = kind === 'disconnect' ? { reason: 'disconnected' as const } : undefined;
            const c = planOne(s, balance, { now, endingNow });

            expect(c.charge >= 0n).toBe(true);
            expect(c.balanceAfter).toBe(balance - c.charge);
            expect(c.balanceAfter >= 0n).toBe(true);
            expect(c.billTo >= s.chargedUntil).toBe(true);
            expect(c.billTo <= Math.max(s.chargedUntil, endingNow ? now : Math.min(now, s.lastHeartbeatAt))).toBe(true);

            s = { ...s, chargedUntil: c.billTo, chargedTotal: s.chargedTotal + c.charge };
            balance = c.balanceAfter;
            const cost = costOver(rate, BigInt(c.billTo - s.startedAt));
            expect(s.chargedTotal <= cost).toBe(true);
            expect(s.chargedTotal + balance).toBe(initial);
            expect(s.chargedTotal).toBe(cost < initial ? cost : initial);
            if (c.endReason === null) {
              expect(s.chargedTotal).toBe(cost);
              expect(balance > 0n).toBe(true);
            }
            if (c.endReason !== null) break;
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never takes more from a user than their balance, however many sessions share it', () => {
    const user = fc.constantFrom('u1', 'u2');
    const live = fc.record({
      userId: user,
      rate: fc.constantFrom(500_000n, 750_000n, 850_000n, 1_000_000n),
      startedAgo: fc.integer({ min: 0, max: 10 * MINUTE }),
      heartbeatAgo: fc.integer({ min: 0, max: 2 * TIMEOUT }),
    });
    fc.assert(
      fc.property(
        fc.array(live, { minLength: 1, maxLength: 8 }),
        fc.bigInt({ min: 0n, max: 100_000n }),
        fc.bigInt({ min: 0n, max: 100_000n }),
        (specs, b1, b2) => {
          const now = T0 + 10 * MINUTE;
          const sessions = specs.map((spec, i) =>
            session({
              id: `s${i}`,
              userId: spec.userId,
              rate: spec.rate,
              startedAt: now - spec.startedAgo,
              chargedUntil: now - spec.startedAgo,
              lastHeartbeatAt: now - Math.min(spec.heartbeatAgo, spec.startedAgo),
            }),
          );
          const initial: Record<string, bigint> = { u1: b1, u2: b2 };
          const charges = plan(sessions, initial, { now });
          expect(charges.map((c) => c.sessionId)).toEqual(sessions.map((s) => s.id));
          for (const userId of ['u1', 'u2']) {
            let balance = initial[userId]!;
            for (const c of charges.filter((c) => c.userId === userId)) {
              expect(c.charge >= 0n).toBe(true);
              balance -= c.charge;
              expect(c.balanceAfter).toBe(balance);
            }
            expect(balance >= 0n).toBe(true);
          }
        },
      ),
    );
  });
});

describe('served time: gaps in the evidence are never billed', () => {
  const GAP = 2 * SECOND;

  it("leaves a session's unserved time out of what it owes", () => {
    const now = T0 + 10 * MINUTE;
    const charge = planOne(session({ lastHeartbeatAt: now, unservedMs: 4 * MINUTE }), credits('27'), { now });
    expect(charge.charge).toBe(costOver(CITY, BigInt(6 * MINUTE)));
    expect(charge.billTo).toBe(now);
  });

  it('bills a disconnect only to the last heartbeat when the gap since it is too long', () => {
    const now = T0 + 10 * MINUTE;
    const last = now - 3 * SECOND;
    const options = { now, heartbeatGapMs: GAP, endingNow: { reason: 'disconnected' as const } };
    expect(planOne(session({ lastHeartbeatAt: last }), credits('27'), options).billTo).toBe(last);
    expect(planOne(session({ lastHeartbeatAt: now - GAP }), credits('27'), options).billTo).toBe(now);
  });

  it('bills a disconnect only to the last heartbeat when no gateway was up since it', () => {
    const now = T0 + 10 * MINUTE;
    const last = now - SECOND;
    const options = { now, heartbeatGapMs: GAP, endingNow: { reason: 'disconnected' as const } };
    const at = (gatewayUpSince: number | null) =>
      planOne(session({ lastHeartbeatAt: last }), credits('27'), { ...options, gatewayUpSince }).billTo;
    expect(at(null)).toBe(last);
    expect(at(last + 1)).toBe(last);
    expect(at(last)).toBe(now);
  });

  it('counts a gap only when it is longer than allowed or a gateway was down in it', () => {
    const evidence: ServiceEvidence = { heartbeatGapMs: GAP };
    expect(unservedUntil(T0, T0 + GAP, evidence)).toBe(0);
    expect(unservedUntil(T0, T0 + GAP + 1, evidence)).toBe(GAP + 1);
    expect(unservedUntil(T0, T0 - 5, evidence)).toBe(0);
    expect(unservedUntil(T0, T0 + SECOND, { ...evidence, gatewayUpSince: null })).toBe(SECOND);
    expect(unservedUntil(T0, T0 + SECOND, { ...evidence, gatewayUpSince: T0 + 1 })).toBe(SECOND);
    expect(unservedUntil(T0, T0 + SECOND, { ...evidence, gatewayUpSince: T0 })).toBe(0);
  });

  it('bills exactly the served intervals of any heartbeat history, whatever the ticks in between', () => {
    const step = fc.record({
      after: fc.integer({ min: 1, max: 3 * GAP }),
      gatewayDown: fc.boolean(),
      tickBefore: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 3 * GAP }),
        (steps, end) => {
          let s = session({ rate: STATE });
          let served = 0;
          let now = T0;
          let charged = 0n;
          const tick = (at: number, endingNow?: PlanOptions['endingNow']) => {
            const [p] = plan([s], { u1: credits('1000') }, { now: at, heartbeatGapMs: GAP, endingNow });
            charged += p!.charge;
            s = { ...s, chargedUntil: p!.billTo, chargedTotal: s.chargedTotal + p!.charge };
          };
          for (const { after, gatewayDown, tickBefore } of steps) {
            now += after;
            if (tickBefore) tick(now - 1);
            const evidence = { heartbeatGapMs: GAP, gatewayUpSince: gatewayDown ? null : T0 };
            const gap = unservedUntil(s.lastHeartbeatAt, now, evidence);
            if (gap === 0) served += now - s.lastHeartbeatAt;
            s = { ...s, lastHeartbeatAt: now, unservedMs: s.unservedMs + gap };
          }
          now += end;
          if (end <= GAP) served += end;
          tick(now, { reason: 'disconnected' });
          expect(charged).toBe(costOver(STATE, BigInt(served)));
        },
      ),
    );
  });
});
