import fc from 'fast-check';
import { expect, it } from 'vitest';
import { isAppError, type ErrorCode } from '../../../shared/errors.ts';
import { DEFAULT_PACKAGES } from '../../../shared/packages.ts';
import type { Db } from '../../../server/db/types.ts';
import { grantPayment, refundPayment } from '../../../server/payments/payment-entries.ts';
import { verifyLedger } from '../../../server/ledger/verify-ledger.ts';
import { chargeDueSessions } from '../../../server/metering/charge-due-sessions.ts';
import { endSession, heartbeat, startSession } from '../../../server/sessions/sessions.ts';
import { createPendingPayment } from '../../../server/payments/pending-payments.ts';
import { describeEachEngine } from '../../support/engines.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { userWithBalance } from '../../support/fixtures.ts';

const USERS = 4;
const targetings = [
  { country: 'us' },
  { country: 'us', city: 'Boston' },
  { country: 'us', state: 'MA' },
  { country: 'us', isp: 'Verizon' },
];

// What a step may be refused with in a world of racing users: anything else is a bug.
const EXPECTED: ReadonlySet<ErrorCode> = new Set(['insufficient_credits', 'session_ended', 'payment_not_refundable']);

const step = fc.oneof(
  fc.record({
    op: fc.constant('purchase' as const),
    user: fc.nat(USERS - 1),
    pkg: fc.nat(DEFAULT_PACKAGES.length - 1),
  }),
  fc.record({ op: fc.constant('start' as const), user: fc.nat(USERS - 1), targeting: fc.nat(targetings.length - 1) }),
  fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 200_000 }) }),
  fc.record({ op: fc.constant('heartbeat' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('tick' as const) }),
  fc.record({ op: fc.constant('disconnect' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('refund' as const), pick: fc.nat() }),
);
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

interface World {
  db: Db;
  clock: FakeClock;
  users: string[];
  sessions: string[];
  payments: string[];
}

const pick = <T>(items: readonly T[], n: number): T | undefined => items[n % Math.max(items.length, 1)];

async function apply(world: World, s: Step): Promise<void> {
  const { db, clock } = world;
  const now = clock.now();
  switch (s.op) {
    case 'purchase': {
      const payment = await createPendingPayment(db, {
        userId: world.users[s.user]!,
        pkg: DEFAULT_PACKAGES[s.pkg]!,
        provider: 'sandbox',
      });
      world.payments.push(payment.id);
      await grantPayment(db, payment.id, now);
      return;
    }
    case 'start': {
      const session = await startSession(db, { userId: world.users[s.user]!, targeting: targetings[s.targeting], now });
      world.sessions.push(session.id);
      return;
    }
    case 'advance':
      clock.advance(s.ms);
      return;
    case 'heartbeat': {
      const sessionId = pick(world.sessions, s.pick);
      if (sessionId) await heartbeat(db, { sessionId, now });
      return;
    }
    case 'tick':
      await chargeDueSessions(db, now, { heartbeatTimeoutMs: 120_000, batchSize: 3 });
      return;
    case 'disconnect': {
      const sessionId = pick(world.sessions, s.pick);
      if (sessionId) await endSession(db, { sessionId, reason: 'disconnected', now });
      return;
    }
    case 'refund': {
      const paymentId = pick(world.payments, s.pick);
      if (paymentId) await refundPayment(db, paymentId, 'randomized test', now);
      return;
    }
  }
}

describeEachEngine('randomized ledger and metering', (db) => {
  it('keeps every invariant through thousands of interleaved, concurrent operations', async () => {
    let steps = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(step, { minLength: 1, maxLength: 6 }), { minLength: 20, maxLength: 40 }),
        async (rounds) => {
          const world: World = {
            db: db(),
            clock: new FakeClock(),
            users: await Promise.all(Array.from({ length: USERS }, () => userWithBalance(db(), '1'))),
            sessions: [],
            payments: [],
          };
          // Each round's steps run concurrently; rounds run one after another.
          for (const round of rounds) {
            const results = await Promise.allSettled(round.map((s) => apply(world, s)));
            for (const r of results) {
              if (r.status === 'rejected' && !(isAppError(r.reason) && EXPECTED.has(r.reason.code))) throw r.reason;
            }
            steps += round.length;
          }
          expect(await verifyLedger(db())).toEqual([]);
        },
      ),
      { numRuns: 25 },
    );
    expect(steps).toBeGreaterThan(1_000);
  });
});
