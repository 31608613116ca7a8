import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { isAppError, type ErrorCode } from '../../shared/errors.ts';
import { credit, debit } from '../../server/ledger/ledger.ts';
import { grantPayment, refundPayment } from '../../server/payments/payment-entries.ts';
import type { EntryInput } from '../../server/ledger/post-entry.ts';
import { verifyLedger } from '../../server/ledger/verify-ledger.ts';
import { chargeDueSessions } from '../../server/metering/charge-due-sessions.ts';
import { endSession, heartbeat, startSession } from '../../server/sessions/sessions.ts';
import { describeEachEngine } from '../support/engines.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { userWithBalance } from '../support/fixtures.ts';

/** Everything the database holds that money depends on, to show a refused call changed nothing. */
async function snapshot(db: ReturnType<Parameters<Parameters<typeof describeEachEngine>[1]>[0]>) {
  const { rows } = await db.query(
    `SELECT (SELECT count(*) FROM ledger_entries) AS entries, (SELECT sum(balance) FROM wallets) AS balances,
            (SELECT count(*) FROM proxy_sessions) AS sessions,
            (SELECT count(*) FROM proxy_sessions WHERE status = 'ended') AS ended,
            (SELECT sum(charged_total) FROM proxy_sessions) AS charged,
            (SELECT max(last_heartbeat_at) FROM proxy_sessions) AS last_heartbeat`,
  );
  return rows[0];
}

describeEachEngine('bad input to ledger and metering', (db) => {
  it('gets a typed error and changes nothing', async () => {
    const clock = new FakeClock();
    const userId = await userWithBalance(db(), '10');
    const live = await startSession(db(), { userId, targeting: { country: 'us' }, now: clock.now() });
    const ended = await startSession(db(), { userId, targeting: { country: 'us' }, now: clock.now() });
    await endSession(db(), { sessionId: ended.id, reason: 'disconnected', now: clock.now() });
    const entry = (amount: unknown, extra: Partial<EntryInput> = {}) =>
      ({ userId, kind: 'adjustment', amount, idempotencyKey: randomUUID(), ...extra }) as EntryInput;

    const cases: [string, () => Promise<unknown>, ErrorCode][] = [
      ['negative credit', () => credit(db(), entry(-5n)), 'invalid_amount'],
      ['zero credit', () => credit(db(), entry(0n)), 'invalid_amount'],
      ['fractional credit', () => credit(db(), entry(1.5)), 'invalid_amount'],
      ['NaN credit', () => credit(db(), entry(Number.NaN)), 'invalid_amount'],
      ['string credit', () => credit(db(), entry('100')), 'invalid_amount'],
      ['negative debit', () => debit(db(), entry(-5n)), 'invalid_amount'],
      ['fractional debit', () => debit(db(), entry(0.25)), 'invalid_amount'],
      ['positive usage', () => credit(db(), entry(5n, { kind: 'usage' })), 'invalid_amount'],
      ['purchase without a payment', () => credit(db(), entry(5n, { kind: 'purchase' })), 'invalid_input'],
      ['usage without a session', () => debit(db(), entry(5n, { kind: 'usage' })), 'invalid_input'],
      [
        'usage of an unknown session',
        () => debit(db(), entry(5n, { kind: 'usage', sessionId: randomUUID() })),
        'unknown_session',
      ],
      [
        'purchase of an unknown payment',
        () => credit(db(), entry(5n, { kind: 'purchase', paymentId: randomUUID() })),
        'unknown_payment',
      ],
      ['unknown kind', () => credit(db(), entry(5n, { kind: 'gift' as never })), 'invalid_input'],
      ['empty idempotency key', () => credit(db(), entry(5n, { idempotencyKey: '' })), 'invalid_input'],
      ['unknown user', () => credit(db(), entry(5n, { userId: randomUUID() })), 'unknown_user'],
      ['malformed user id', () => credit(db(), entry(5n, { userId: "x' OR 1=1" })), 'unknown_user'],
      ['malformed session id', () => debit(db(), entry(5n, { sessionId: 'abc' })), 'invalid_input'],
      ['debit beyond the balance', () => debit(db(), entry(10n ** 12n)), 'insufficient_credits'],
      [
        'targeting without a country',
        () => startSession(db(), { userId, targeting: { city: 'Paris' }, now: 0 }),
        'invalid_targeting',
      ],
      [
        'targeting with a bad country',
        () => startSession(db(), { userId, targeting: { country: 'USA' }, now: 0 }),
        'invalid_targeting',
      ],
      [
        'targeting with unknown keys',
        () => startSession(db(), { userId, targeting: { country: 'us', asn: 1 }, now: 0 }),
        'invalid_targeting',
      ],
      [
        'targeting that is not an object',
        () => startSession(db(), { userId, targeting: 'us', now: 0 }),
        'invalid_targeting',
      ],
      [
        'session for an unknown user',
        () => startSession(db(), { userId: randomUUID(), targeting: { country: 'us' }, now: 0 }),
        'unknown_user',
      ],
      [
        'ending an unknown session',
        () => endSession(db(), { sessionId: randomUUID(), reason: 'disconnected', now: 0 }),
        'unknown_session',
      ],
      [
        'ending a malformed session id',
        () => endSession(db(), { sessionId: '1; DROP TABLE', reason: 'disconnected', now: 0 }),
        'unknown_session',
      ],
      [
        "ending another user's session",
        () => endSession(db(), { sessionId: live.id, userId: randomUUID(), reason: 'disconnected', now: 0 }),
        'unknown_session',
      ],
      [
        'ending with an unknown reason',
        () => endSession(db(), { sessionId: live.id, reason: 'bored' as never, now: 0 }),
        'invalid_input',
      ],
      [
        'ending an ended session',
        () => endSession(db(), { sessionId: ended.id, reason: 'disconnected', now: clock.now() }),
        'session_ended',
      ],
      [
        'heartbeat of an unknown session',
        () => heartbeat(db(), { sessionId: randomUUID(), now: 0 }),
        'unknown_session',
      ],
      [
        'heartbeat of an ended session',
        () => heartbeat(db(), { sessionId: ended.id, now: clock.now() }),
        'session_ended',
      ],
      // Times are whole milliseconds since 1970: charges are floored over them.
      ['a tick at NaN', () => chargeDueSessions(db(), Number.NaN), 'invalid_input'],
      ['a tick at a fractional time', () => chargeDueSessions(db(), clock.now() + 60_000.5), 'invalid_input'],
      [
        'a start at a time that is not a number',
        () => startSession(db(), { userId, targeting: { country: 'us' }, now: '2026-01-01' as never }),
        'invalid_input',
      ],
      ['a heartbeat at NaN', () => heartbeat(db(), { sessionId: live.id, now: Number.NaN }), 'invalid_input'],
      [
        'an end before 1970',
        () => endSession(db(), { sessionId: live.id, reason: 'disconnected', now: -1 }),
        'invalid_input',
      ],
      ['a credit at a fractional time', () => credit(db(), entry(5n, { at: 1.5 })), 'invalid_input'],
      ['a payment granted at infinity', () => grantPayment(db(), randomUUID(), Infinity), 'invalid_input'],
      ['a payment refunded at NaN', () => refundPayment(db(), randomUUID(), 'test', Number.NaN), 'invalid_input'],
    ];

    const before = await snapshot(db());
    for (const [name, call, code] of cases) {
      const error = await call().then(
        () => new Error('accepted'),
        (e: unknown) => e,
      );
      expect(isAppError(error) ? error.code : String(error), name).toBe(code);
    }
    expect(await snapshot(db())).toEqual(before);
    expect(await verifyLedger(db())).toEqual([]);
  });
});
