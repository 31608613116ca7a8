import { expect, it } from 'vitest';
import { isAppError } from '../../shared/errors.ts';
import { costOver, credits } from '../../shared/money.ts';
import { findPackage } from '../../shared/packages.ts';
import { credit, debit } from '../../server/ledger/ledger.ts';
import { grantPayment } from '../../server/payments/payment-entries.ts';
import { verifyLedger } from '../../server/ledger/verify-ledger.ts';
import { chargeDueSessions } from '../../server/metering/charge-due-sessions.ts';
import { DEFAULT_METERING } from '../../server/metering/config.ts';
import { endSession, getSession, heartbeat, startSession } from '../../server/sessions/sessions.ts';
import { createPendingPayment } from '../../server/payments/pending-payments.ts';
import { describeEachEngine } from '../support/engines.ts';
import { FakeClock, MINUTE } from '../support/fake-clock.ts';
import { balanceOf, userWithBalance } from '../support/fixtures.ts';

const times = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));
// These tests jump the clock past the app's heartbeat gap on purpose: every jump is served time here.
const JUMPS_SERVED = { ...DEFAULT_METERING, heartbeatGapMs: 10 * MINUTE };

// PGlite is one connection and cannot race, so these run on the PostgreSQL server only.
describeEachEngine(
  'concurrency',
  (db) => {
    it('two workers ticking at once charge every session exactly once', async () => {
      const clock = new FakeClock();
      const start = clock.now();
      const users = await Promise.all(times(40, () => userWithBalance(db(), '50')));
      const targetings = [
        { country: 'us' },
        { country: 'us', city: 'Dallas' },
        { country: 'us', state: 'TX', isp: 'AT&T' },
      ];
      const sessions = await Promise.all(
        users.flatMap((userId) => targetings.map((targeting) => startSession(db(), { userId, targeting, now: start }))),
      );
      for (let minute = 1; minute <= 5; minute++) {
        clock.advance(MINUTE + 1_234);
        await Promise.all(sessions.map((s) => heartbeat(db(), { sessionId: s.id, now: clock.now() }, JUMPS_SERVED)));
        // Small batches so the two workers interleave and contend for the same rows.
        const config = { heartbeatTimeoutMs: 120_000, batchSize: 7 };
        const [a, b] = await Promise.all([
          chargeDueSessions(db(), clock.now(), config),
          chargeDueSessions(db(), clock.now(), config),
        ]);
        expect(a.sessions + b.sessions).toBeGreaterThanOrEqual(sessions.length);
      }
      for (const s of sessions) {
        const owed = costOver(s.rate, BigInt(clock.now() - start));
        expect((await getSession(db(), { sessionId: s.id })).chargedTotal).toBe(owed);
      }
      expect(await verifyLedger(db())).toEqual([]);
    });

    it('applies one idempotency key once under 50 concurrent requests', async () => {
      const userId = await userWithBalance(db());
      const results = await Promise.all(
        times(50, () => credit(db(), { userId, kind: 'adjustment', amount: 999n, idempotencyKey: 'race' })),
      );
      expect(results.filter((r) => !r.replayed)).toHaveLength(1);
      expect(new Set(results.map((r) => r.entry?.id)).size).toBe(1);
      expect(await balanceOf(db(), userId)).toBe(999n);
    });

    it('credits a payment once when 50 confirmations race', async () => {
      const userId = await userWithBalance(db());
      const payment = await createPendingPayment(db(), {
        userId,
        pkg: findPackage({ amount: 100 }),
        provider: 'sandbox',
      });
      const results = await Promise.all(times(50, () => grantPayment(db(), payment.id)));
      expect(results.filter((r) => r.granted)).toHaveLength(1);
      expect(await balanceOf(db(), userId)).toBe(credits('115'));
      expect(await verifyLedger(db())).toEqual([]);
    });

    it('never overdraws a wallet under concurrent debits', async () => {
      const userId = await userWithBalance(db(), 1_000n);
      const results = await Promise.allSettled(
        times(30, (i) => debit(db(), { userId, kind: 'adjustment', amount: 100n, idempotencyKey: `d${i}` })),
      );
      const refused = results.filter((r) => r.status === 'rejected');
      expect(results.length - refused.length).toBe(10);
      for (const r of refused)
        expect(isAppError((r as PromiseRejectedResult).reason, 'insufficient_credits')).toBe(true);
      expect(await balanceOf(db(), userId)).toBe(0n);
    });

    it('a disconnect racing a tick charges the session once', async () => {
      const clock = new FakeClock();
      const users = await Promise.all(times(20, () => userWithBalance(db(), '5')));
      const sessions = await Promise.all(
        users.map((userId) =>
          startSession(db(), { userId, targeting: { country: 'jp', city: 'Tokyo' }, now: clock.now() }),
        ),
      );
      clock.advance(2 * MINUTE);
      await Promise.all(sessions.map((s) => heartbeat(db(), { sessionId: s.id, now: clock.now() }, JUMPS_SERVED)));
      await Promise.all([
        chargeDueSessions(db(), clock.now(), { heartbeatTimeoutMs: 120_000, batchSize: 3 }),
        ...sessions.map((s) =>
          endSession(db(), { sessionId: s.id, reason: 'disconnected', now: clock.now() }, JUMPS_SERVED),
        ),
      ]);
      for (const s of sessions) {
        expect(await getSession(db(), { sessionId: s.id })).toMatchObject({ status: 'ended', chargedTotal: 25_000n });
      }
      expect(await verifyLedger(db())).toEqual([]);
    });
  },
  ['postgres'],
);
