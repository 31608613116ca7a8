import fc from 'fast-check';
import { expect, it } from 'vitest';
import { chargeDueSessions } from '../../../server/metering/charge-due-sessions.ts';
import { planCharges, type MeteredSession } from '../../../server/metering/plan-charges.ts';
import { describeEachEngine } from '../../support/engines.ts';
import { userWithBalance } from '../../support/fixtures.ts';

const T0 = Date.UTC(2026, 0, 1);
const TIMEOUT = 120_000;

// Any state the books can be in: sessions part-charged, some silent, users sharing a balance.
const scenario = fc.record({
  balances: fc.array(fc.bigInt({ min: 0n, max: 3_000_000n }), { minLength: 1, maxLength: 4 }),
  sessions: fc.array(
    fc.record({
      user: fc.nat(3),
      rate: fc.constantFrom(500_000n, 750_000n, 850_000n, 1_000_000n),
      chargedFor: fc.integer({ min: 0, max: 3_600_000 }),
      silentFor: fc.integer({ min: 0, max: 300_000 }),
      // Gaps a heartbeat found unserved, left out of what is owed.
      unservedMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2 * 3_600_000 })),
    }),
    { minLength: 1, maxLength: 8 },
  ),
  elapsed: fc.integer({ min: 1, max: 4 * 3_600_000 }),
});

describeEachEngine('the SQL tick against the planCharges model', (db) => {
  it('charges, ends and leaves balances exactly as the reference model says', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ balances, sessions, elapsed }) => {
        // Each run starts with no live sessions from the runs before it.
        await db().query(
          `UPDATE proxy_sessions SET status = 'ended', end_reason = 'admin', ended_at = charged_until WHERE status = 'active'`,
        );
        const users = await Promise.all(balances.map(() => userWithBalance(db())));
        // Set balances directly: this test compares arithmetic, not the ledger's bookkeeping.
        await Promise.all(
          users.map((u, i) =>
            db().query('UPDATE wallets SET balance = $2, posted_balance = $2 WHERE user_id = $1', [u, balances[i]]),
          ),
        );
        const now = T0 + elapsed;
        const model: MeteredSession[] = [];
        for (const s of sessions) {
          const userId = users[s.user % users.length]!;
          const chargedUntil = T0 + Math.min(s.chargedFor, elapsed);
          const unservedMs = Math.min(s.unservedMs, elapsed);
          const servedMs = Math.max(0, chargedUntil - T0 - unservedMs);
          const chargedTotal = (s.rate * BigInt(servedMs)) / 3_600_000n;
          const lastHeartbeatAt = Math.max(chargedUntil, now - s.silentFor);
          const { rows } = await db().query<{ id: string }>(
            `INSERT INTO proxy_sessions (user_id, targeting, tier, rate, started_at, charged_until, charged_total,
               last_heartbeat_at, unserved_ms, posted_total, posted_ms)
             VALUES ($1, '{"country":"us"}', 'country', $2, $3, $4, $5, $6, $7, $5, $8) RETURNING id`,
            [
              userId,
              s.rate,
              new Date(T0).toISOString(),
              new Date(chargedUntil).toISOString(),
              chargedTotal,
              new Date(lastHeartbeatAt).toISOString(),
              unservedMs,
              servedMs,
            ],
          );
          model.push({
            id: rows[0]!.id,
            userId,
            rate: s.rate,
            startedAt: T0,
            chargedUntil,
            chargedTotal,
            lastHeartbeatAt,
            unservedMs,
          });
        }
        const due = model.filter(
          (m) => m.chargedUntil < Math.min(now, m.lastHeartbeatAt) || m.lastHeartbeatAt < now - TIMEOUT,
        );
        due.sort((a, b) => (a.id < b.id ? -1 : 1));
        const expected = planCharges(due, new Map(users.map((u, i) => [u, balances[i]!])), {
          now,
          heartbeatTimeoutMs: TIMEOUT,
        });

        // Small batches on two loops: batches split users, never a user's sessions, so each
        // balance is still shared in id order as the model says.
        const tick = await chargeDueSessions(db(), now, {
          heartbeatTimeoutMs: TIMEOUT,
          batchSize: 3,
          parallelBatches: 2,
        });

        expect(tick.sessions).toBe(due.length);
        expect(tick.charged).toBe(expected.reduce((sum, p) => sum + p.charge, 0n));
        expect(tick.ended.toSorted()).toEqual(expected.filter((p) => p.endReason !== null).map((p) => p.sessionId));
        const postedBalances = new Map(users.map((u, i) => [u, balances[i]!]));
        for (const p of expected) {
          const { rows } = await db().query<{ charged_total: bigint; end_reason: string | null; charged_until: Date }>(
            'SELECT charged_total, end_reason, charged_until FROM proxy_sessions WHERE id = $1',
            [p.sessionId],
          );
          const before = due.find((d) => d.id === p.sessionId)!;
          expect(rows[0]).toEqual({
            charged_total: before.chargedTotal + p.charge,
            end_reason: p.endReason,
            charged_until: new Date(p.billTo),
          });
          // Usage is posted when the session ends or enters a new served hour, each line saying
          // what the user's posted balance is after it, a user's lines in id order.
          const hourOf = (at: number) => Math.floor(Math.max(0, at - T0 - before.unservedMs) / 3_600_000);
          const posts = p.charge > 0n && (p.endReason !== null || hourOf(p.billTo) > hourOf(before.chargedUntil));
          const posted = postedBalances.get(p.userId)! - (posts ? p.charge : 0n);
          postedBalances.set(p.userId, posted);
          const { rows: entries } = await db().query<{ amount: bigint; balance_after: bigint }>(
            `SELECT amount, balance_after FROM ledger_entries WHERE session_id = $1 AND kind = 'usage'`,
            [p.sessionId],
          );
          expect(entries).toEqual(posts ? [{ amount: -p.charge, balance_after: posted }] : []);
        }
        for (const [i, u] of users.entries()) {
          const spent = expected.filter((p) => p.userId === u).reduce((sum, p) => sum + p.charge, 0n);
          const { rows } = await db().query<{ balance: bigint }>('SELECT balance FROM wallets WHERE user_id = $1', [u]);
          expect(rows[0]!.balance).toBe(balances[i]! - spent);
        }
      }),
      { numRuns: 60 },
    );
  });
});
