import { expect, it } from 'vitest';
import { isAppError } from '../../../shared/errors.ts';
import { credits } from '../../../shared/money.ts';
import { verifyLedger } from '../../../server/ledger/verify-ledger.ts';
import { chargeDueSessions } from '../../../server/metering/charge-due-sessions.ts';
import { DEFAULT_METERING } from '../../../server/metering/config.ts';
import { endSession, getSession, heartbeat, startSession } from '../../../server/sessions/sessions.ts';
import { describeEachEngine } from '../../support/engines.ts';
import { FakeClock, MINUTE } from '../../support/fake-clock.ts';
import { balanceOf, userWithBalance } from '../../support/fixtures.ts';

describeEachEngine('metering', (db) => {
  it('charges a city session exactly 0.0125 credits after one minute (the seed case)', async () => {
    const clock = new FakeClock();
    const userId = await userWithBalance(db(), '27');
    const session = await startSession(db(), {
      userId,
      targeting: { country: 'US', city: 'New York' },
      now: clock.now(),
    });
    expect(session.tier).toBe('city');

    clock.advance(MINUTE);
    await heartbeat(db(), { sessionId: session.id, now: clock.now() });
    await chargeDueSessions(db(), clock.now());

    expect((await getSession(db(), { sessionId: session.id })).chargedTotal).toBe(12_500n);
    expect(await balanceOf(db(), userId)).toBe(credits('27') - credits('0.0125'));
    expect(await verifyLedger(db())).toEqual([]);
  });

  it('charges a state session floor(850000 × 7 / 60) after 7 minutes and does not drift over 10,000 ticks', async () => {
    const clock = new FakeClock();
    const userId = await userWithBalance(db(), '100');
    const { id: sessionId, startedAt } = await startSession(db(), {
      userId,
      targeting: { country: 'us', state: 'NY' },
      now: clock.now(),
    });
    for (let minute = 1; minute <= 7; minute++) {
      clock.advance(MINUTE);
      await heartbeat(db(), { sessionId, now: clock.now() });
      await chargeDueSessions(db(), clock.now());
    }
    expect((await getSession(db(), { sessionId })).chargedTotal).toBe((850_000n * 7n) / 60n);

    // Ticks at uneven intervals (1 to 7 s), so most charges are fractions of a micro-credit rounded down.
    let lastBeat = clock.now();
    for (let tick = 0; tick < 10_000; tick++) {
      clock.advance(1_000 + ((tick * 7919) % 6_000));
      if (clock.now() - lastBeat >= 30_000) {
        await heartbeat(db(), { sessionId, now: clock.now() });
        lastBeat = clock.now();
      }
      await chargeDueSessions(db(), clock.now());
    }
    const session = await getSession(db(), { sessionId });
    const served = BigInt(session.chargedUntil.getTime() - startedAt.getTime());
    expect(session.chargedTotal).toBe((850_000n * served) / 3_600_000n);
    expect(session.status).toBe('active');
    expect(await balanceOf(db(), userId)).toBe(credits('100') - session.chargedTotal);
    expect(await verifyLedger(db())).toEqual([]);
  }, 120_000); // 10,000 ticks, each a transaction: a minute or more on a loaded CI machine

  it('refuses an ISP session on a balance of 0.50 with the amount needed', async () => {
    const userId = await userWithBalance(db(), '0.5');
    const error = await startSession(db(), { userId, targeting: { country: 'us', isp: 'Comcast' }, now: 0 }).catch(
      (e: unknown) => e,
    );
    expect(isAppError(error, 'insufficient_credits')).toBe(true);
    expect((error as { details: unknown }).details).toMatchObject({ tier: 'isp', needed: 1_000_000, balance: 500_000 });
    expect(await balanceOf(db(), userId)).toBe(credits('0.5'));
  });

  it('ends a session no one heartbeats for 2 minutes as client_lost, charged to its last heartbeat', async () => {
    const clock = new FakeClock();
    const userId = await userWithBalance(db(), '5');
    const { id: sessionId } = await startSession(db(), { userId, targeting: { country: 'de' }, now: clock.now() });
    clock.advance(30_000);
    await heartbeat(db(), { sessionId, now: clock.now() });
    clock.advance(DEFAULT_METERING.heartbeatTimeoutMs + 1);
    const tick = await chargeDueSessions(db(), clock.now());

    expect(tick.ended).toContain(sessionId);
    const session = await getSession(db(), { sessionId });
    expect(session).toMatchObject({
      status: 'ended',
      endReason: 'client_lost',
      chargedTotal: (500_000n * 30n) / 3600n,
    });
    expect(await verifyLedger(db())).toEqual([]);
  });

  it('catches up exactly after the worker was down for 30 minutes', async () => {
    const clock = new FakeClock();
    const userId = await userWithBalance(db(), '10');
    const { id: sessionId } = await startSession(db(), {
      userId,
      targeting: { country: 'fr', city: 'Paris' },
      now: clock.now(),
    });
    // The client keeps heartbeating every 30 s; no tick runs.
    for (let beat = 0; beat < 60; beat++) {
      clock.advance(30_000);
      await heartbeat(db(), { sessionId, now: clock.now() });
    }
    await chargeDueSessions(db(), clock.now());
    expect((await getSession(db(), { sessionId })).chargedTotal).toBe(750_000n / 2n);
    expect(await balanceOf(db(), userId)).toBe(credits('10') - 375_000n);
    // A second tick at the same moment owes nothing.
    await chargeDueSessions(db(), clock.now());
    expect((await getSession(db(), { sessionId })).chargedTotal).toBe(750_000n / 2n);
    expect(await verifyLedger(db())).toEqual([]);
  });

  it('runs the balance to exactly 0 and ends the session insufficient_credits', async () => {
    const clock = new FakeClock();
    // One hour of country plus a little: the session outlives its minimum and then runs dry.
    const userId = await userWithBalance(db(), 500_123n);
    const { id: sessionId } = await startSession(db(), { userId, targeting: { country: 'gb' }, now: clock.now() });
    let minutes = 0;
    let ended: string[] = [];
    while (minutes < 61 && !ended.includes(sessionId)) {
      minutes += 1;
      clock.advance(MINUTE);
      await heartbeat(db(), { sessionId, now: clock.now() });
      ended = (await chargeDueSessions(db(), clock.now())).ended;
    }
    // 500,123 µcr lasts 60 minutes and a fraction at 0.50/h: the tick after the hour finds it short.
    expect(minutes).toBe(61);
    expect(ended).toContain(sessionId);
    expect(await balanceOf(db(), userId)).toBe(0n);
    const session = await getSession(db(), { sessionId });
    expect(session).toMatchObject({ status: 'ended', endReason: 'insufficient_credits', chargedTotal: 500_123n });
    // An ended session is never charged again.
    clock.advance(10 * MINUTE);
    await chargeDueSessions(db(), clock.now());
    expect((await getSession(db(), { sessionId })).chargedTotal).toBe(500_123n);
    expect(await verifyLedger(db())).toEqual([]);
  });

  it('shares a balance among the sessions of a user in id order: the one that empties it exactly ends', async () => {
    const clock = new FakeClock();
    // Two country sessions at 0.50/h for 30 minutes owe 250,000 µcr each: together exactly the first
    // user's balance, and well within the second's.
    const exact = await userWithBalance(db(), 500_000n);
    const ample = await userWithBalance(db(), 1_000_000n);
    // Both must start, so the start check asks for 30 minutes of them together, not an hour.
    const config = { ...DEFAULT_METERING, pricing: { ...DEFAULT_METERING.pricing, minStartMinutes: 30 } };
    const idsOf = async (userId: string) => {
      const started = [];
      for (const country of ['gb', 'de']) {
        started.push(await startSession(db(), { userId, targeting: { country }, now: clock.now() }, config));
      }
      return started.map((s) => s.id).sort();
    };
    const [first, last] = await idsOf(exact);
    const ampleIds = await idsOf(ample);
    for (let minute = 0; minute < 30; minute++) {
      clock.advance(MINUTE);
      for (const sessionId of [first!, last!, ...ampleIds]) await heartbeat(db(), { sessionId, now: clock.now() });
    }

    // One batch loop, so each user's two sessions meet in one batch (two loops may split them).
    const tick = await chargeDueSessions(db(), clock.now(), { ...DEFAULT_METERING, parallelBatches: 1 });

    expect(tick.ended).toContain(last);
    expect(tick.ended).not.toContain(first);
    expect(await balanceOf(db(), exact)).toBe(0n);
    expect(await getSession(db(), { sessionId: first! })).toMatchObject({ status: 'active', chargedTotal: 250_000n });
    expect(await getSession(db(), { sessionId: last! })).toMatchObject({
      status: 'ended',
      endReason: 'insufficient_credits',
      chargedTotal: 250_000n,
    });
    expect(await balanceOf(db(), ample)).toBe(500_000n);
    for (const sessionId of ampleIds) {
      expect(await getSession(db(), { sessionId })).toMatchObject({ status: 'active', chargedTotal: 250_000n });
    }
    // Each usage entry's balance_after is the running balance, in entry order.
    expect(await verifyLedger(db())).toEqual([]);
  });

  it('charges the last partial minute pro rata on disconnect', async () => {
    const clock = new FakeClock();
    const userId = await userWithBalance(db(), '5');
    const { id: sessionId } = await startSession(db(), {
      userId,
      targeting: { country: 'us', city: 'Austin' },
      now: clock.now(),
    });
    clock.advance(MINUTE);
    await heartbeat(db(), { sessionId, now: clock.now() });
    await chargeDueSessions(db(), clock.now());
    clock.advance(30_500);
    const { session, charged } = await endSession(db(), {
      sessionId,
      userId,
      reason: 'disconnected',
      now: clock.now(),
    });

    expect(charged).toBe((750_000n * 90_500n) / 3_600_000n - 12_500n);
    expect(session).toMatchObject({ status: 'ended', endReason: 'disconnected', chargedTotal: 18_854n });
    expect(await balanceOf(db(), userId)).toBe(credits('5') - 18_854n);
    expect(await verifyLedger(db())).toEqual([]);
  });

  it('refuses to end an ended session or heartbeat it, and changes nothing', async () => {
    const clock = new FakeClock();
    const userId = await userWithBalance(db(), '5');
    const { id: sessionId } = await startSession(db(), { userId, targeting: { country: 'us' }, now: clock.now() });
    clock.advance(MINUTE);
    await endSession(db(), { sessionId, reason: 'disconnected', now: clock.now() });
    const before = await balanceOf(db(), userId);

    clock.advance(MINUTE);
    // Called one at a time: a rejection must not go unobserved while another is awaited.
    const attempts = [
      () => endSession(db(), { sessionId, reason: 'disconnected', now: clock.now() }),
      () => heartbeat(db(), { sessionId, now: clock.now() }),
    ];
    for (const attempt of attempts) {
      const error = await attempt().catch((e: unknown) => e);
      expect(isAppError(error, 'session_ended')).toBe(true);
    }
    expect(await balanceOf(db(), userId)).toBe(before);
    expect((await getSession(db(), { sessionId })).endReason).toBe('disconnected');
  });

  it('ends a session whose heartbeat arrives too late as client_lost', async () => {
    const clock = new FakeClock();
    const userId = await userWithBalance(db(), '5');
    const { id: sessionId } = await startSession(db(), { userId, targeting: { country: 'us' }, now: clock.now() });
    clock.advance(DEFAULT_METERING.heartbeatTimeoutMs + 1_000);
    const error = await heartbeat(db(), { sessionId, now: clock.now() }).catch((e: unknown) => e);
    expect(isAppError(error, 'session_ended')).toBe(true);
    // Nothing was proven served after the start, so nothing is charged.
    expect(await getSession(db(), { sessionId })).toMatchObject({ endReason: 'client_lost', chargedTotal: 0n });
    expect(await balanceOf(db(), userId)).toBe(credits('5'));
  });
});
