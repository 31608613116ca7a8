import { expect, it } from 'vitest';
import { isAppError } from '../../../shared/errors.ts';
import { credits } from '../../../shared/money.ts';
import { verifyLedger } from '../../../server/ledger/verify-ledger.ts';
import { chargeDueSessions } from '../../../server/metering/charge-due-sessions.ts';
import { DEFAULT_METERING } from '../../../server/metering/config.ts';
import { endSession, getSession, heartbeat, startSession } from '../../../server/metering/sessions.ts';
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
    const tick = await chargeDueSessions(db(), clock.now());

    expect(tick.charged).toBe(12_500n);
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
  });

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

    expect(tick.ended).toEqual([sessionId]);
    const session = await getSession(db(), { sessionId });
    expect(session).toMatchObject({
      status: 'ended',
      endReason: 'client_lost',
      chargedTotal: (500_000n * 30n) / 3600n,
    });
    expect(await verifyLedger(db())).toEqual([]);
  });
});
