import { expect, it } from 'vitest';
import { credits } from '../../../shared/money.ts';
import { listActivity } from '../../../server/ledger/list-activity.ts';
import { listEntries } from '../../../server/ledger/list-entries.ts';
import { usageByDay } from '../../../server/ledger/usage-by-day.ts';
import { verifyLedger } from '../../../server/ledger/verify-ledger.ts';
import { getWallet } from '../../../server/ledger/wallets.ts';
import { chargeDueSessions } from '../../../server/metering/charge-due-sessions.ts';
import { endSession, getSession, heartbeat, startSession } from '../../../server/sessions/sessions.ts';
import { describeEachEngine } from '../../support/engines.ts';
import { FakeClock, MINUTE } from '../../support/fake-clock.ts';
import { userWithBalance } from '../../support/fixtures.ts';

const HOUR = 60 * MINUTE;

describeEachEngine('usage posted once per session-hour', (db) => {
  it('a 3 h 20 min session has 4 usage entries summing to its cost; the balance moved every minute', async () => {
    const clock = new FakeClock();
    const userId = await userWithBalance(db(), '10');
    const session = await startSession(db(), {
      userId,
      targeting: { country: 'us', city: 'Boston' },
      now: clock.now(),
    });
    const usage = async () => (await listEntries(db(), userId, { limit: 50, kind: 'usage' })).entries.reverse();

    for (let minute = 1; minute < 200; minute++) {
      clock.advance(MINUTE);
      await heartbeat(db(), { sessionId: session.id, now: clock.now() });
      await chargeDueSessions(db(), clock.now());
      if (minute === 90) {
        // Half an hour into the second hour: the balance paid 90 minutes, the ledger posted 60.
        const wallet = await getWallet(db(), userId);
        expect(wallet.balance).toBe(credits('10') - credits('1.125'));
        expect((await usage()).map((e) => e.amount)).toEqual([-credits('0.75')]);
        expect(await verifyLedger(db())).toEqual([]);
        // Activity shows the live session as one running line of what it cost so far.
        const live = (await listActivity(db(), userId, { limit: 10, kind: 'usage' })).entries;
        expect(live.map((l) => [l.amount, l.session?.live, l.session?.servedMs])).toEqual([
          [-credits('1.125'), true, 90 * MINUTE],
        ]);
        // The usage chart counts what it spent, posted or not.
        const [today] = await usageByDay(db(), userId, 1, clock.now());
        expect(today!.byTier.city).toBe(credits('1.125'));
      }
    }
    clock.advance(MINUTE);
    const { session: ended } = await endSession(db(), {
      sessionId: session.id,
      userId,
      reason: 'disconnected',
      now: clock.now(),
    });

    // 200 minutes at 0.75/h.
    const cost = credits('2.5');
    expect(ended.chargedTotal).toBe(cost);
    const entries = await usage();
    expect(entries.map((e) => e.amount)).toEqual([
      -credits('0.75'),
      -credits('0.75'),
      -credits('0.75'),
      -credits('0.25'),
    ]);
    expect(entries.reduce((sum, e) => sum + e.amount, 0n)).toBe(-cost);
    expect(entries.map((e) => e.metadata.served_ms)).toEqual([HOUR, HOUR, HOUR, 20 * MINUTE]);
    expect(entries[3]!.metadata).toMatchObject({ tier: 'city', location: { country: 'us', city: 'Boston' } });
    expect(entries.map((e) => e.idempotencyKey.split(':').at(-1))).toEqual(['1', '2', '3', 'end']);
    // Each line is the statement's running balance; the last one is the balance itself.
    expect(entries.at(-1)!.balanceAfter).toBe(credits('7.5'));
    expect((await getWallet(db(), userId)).balance).toBe(credits('7.5'));
    expect(await verifyLedger(db())).toEqual([]);
    // Activity shows sessions, not minutes or hours: one line, its cost, how long and where.
    const activity = (await listActivity(db(), userId, { limit: 10 })).entries;
    expect(activity.map((l) => l.kind)).toEqual(['usage', 'adjustment']);
    expect(activity[0]).toMatchObject({ amount: -cost, balanceAfter: credits('7.5') });
    expect(activity[0]!.session).toMatchObject({
      live: false,
      tier: 'city',
      targeting: { country: 'us', city: 'Boston' },
      servedMs: 200 * MINUTE,
    });
  });

  it('posts everything charged since the last line at the tick that crosses an hour, however many ticks were missed', async () => {
    const clock = new FakeClock();
    const userId = await userWithBalance(db(), '10');
    const session = await startSession(db(), { userId, targeting: { country: 'us' }, now: clock.now() });
    // Heartbeats every minute, but the tick runs only at 59 and at 130 minutes.
    for (let minute = 1; minute <= 130; minute++) {
      clock.advance(MINUTE);
      await heartbeat(db(), { sessionId: session.id, now: clock.now() });
      if (minute === 59 || minute === 130) await chargeDueSessions(db(), clock.now());
      if (minute === 59) expect(await verifyLedger(db())).toEqual([]);
    }
    const entries = (await listEntries(db(), userId, { limit: 10, kind: 'usage' })).entries;
    // One line for everything charged since the last one, at the tick in the third hour.
    expect(entries.map((e) => [e.amount, e.metadata.served_ms])).toEqual([[-credits('130') / 120n, 130 * MINUTE]]);
    expect((await getSession(db(), { sessionId: session.id })).chargedTotal).toBe(credits('130') / 120n);
    expect(await verifyLedger(db())).toEqual([]);
  });
});
