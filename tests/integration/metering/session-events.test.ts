import { expect, it } from 'vitest';
import { chargeDueSessions } from '../../../server/metering/charge-due-sessions.ts';
import { onSessionEnded } from '../../../server/sessions/session-events.ts';
import { endSession, startSession } from '../../../server/sessions/sessions.ts';
import { describeEachEngine } from '../../support/engines.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { userWithBalance } from '../../support/fixtures.ts';

describeEachEngine('session end announcements', (db) => {
  it('announces every ended session once its transaction commits: disconnects and ticks alike', async () => {
    const clock = new FakeClock();
    const heard: string[] = [];
    const stop = await onSessionEnded(db(), (id) => heard.push(id));
    try {
      const userId = await userWithBalance(db(), '5');
      const a = await startSession(db(), { userId, targeting: { country: 'us' }, now: clock.now() });
      const b = await startSession(db(), { userId, targeting: { country: 'us' }, now: clock.now() });
      await endSession(db(), { sessionId: a.id, reason: 'disconnected', now: clock.now() });
      clock.advance(10 * 60_000);
      await chargeDueSessions(db(), clock.now()); // b's client is lost
      await expect.poll(() => heard.filter((id) => id === a.id || id === b.id).sort()).toEqual([a.id, b.id].sort());
    } finally {
      await stop();
    }
  });
});
