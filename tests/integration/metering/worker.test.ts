import { expect, it } from 'vitest';
import { verifyLedger } from '../../../server/ledger/verify-ledger.ts';
import { DEFAULT_METERING } from '../../../server/metering/config.ts';
import { getSession, heartbeat, startSession } from '../../../server/sessions/sessions.ts';
import { MeteringWorker } from '../../../server/metering/worker.ts';
import { describeEachEngine } from '../../support/engines.ts';
import { FakeClock, MINUTE } from '../../support/fake-clock.ts';
import { userWithBalance } from '../../support/fixtures.ts';

describeEachEngine('metering worker', (db) => {
  it('ticks on its interval with the injected clock and makes a final tick on stop', async () => {
    const clock = new FakeClock();
    const ticks: bigint[] = [];
    const worker = new MeteringWorker({
      db: db(),
      clock,
      config: { ...DEFAULT_METERING, tickIntervalMs: 20 },
      onTick: (tick) => ticks.push(tick.charged),
    });
    const userId = await userWithBalance(db(), '5');
    const { id: sessionId } = await startSession(db(), {
      userId,
      targeting: { country: 'us', city: 'Miami' },
      now: clock.now(),
    });
    clock.advance(MINUTE);
    await heartbeat(db(), { sessionId, now: clock.now() });

    worker.start();
    await expect.poll(() => ticks.includes(12_500n), { timeout: 5_000 }).toBe(true);
    clock.advance(MINUTE);
    await heartbeat(db(), { sessionId, now: clock.now() });
    await worker.stop();

    expect((await getSession(db(), { sessionId })).chargedTotal).toBe(25_000n);
    const count = ticks.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ticks.length).toBe(count);
    expect(await verifyLedger(db())).toEqual([]);
  });
});
