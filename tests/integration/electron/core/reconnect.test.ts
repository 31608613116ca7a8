import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCredits, embeddedTestService, startTestCore, type TestCore } from '../../../support/test-core.ts';
import type { TestService } from '../../../support/test-service.ts';

const US = { country: 'us' };
const NEW_YORK = { country: 'us', city: 'New York' };

describe('reconnect to apply a new location [pglite]', () => {
  let service: TestService;
  let t: TestCore;

  beforeAll(async () => {
    let embedded;
    ({ service, port: embedded } = await embeddedTestService());
    t = await startTestCore({ embedded, testClock: true });
    await addCredits(service, t, 5_000_000n);
  });
  afterAll(async () => {
    await t?.core.quit();
    await service?.stop();
  });

  it('ends the live session charged to the second, starts the new one: exactly one live session afterwards', async () => {
    const first = await t.call('connection.connect', US);
    if (first.status !== 'connected') expect.fail(`not connected: ${first.status}`);
    // 90 s at the country rate (0.50/h): 12,500 µcr, the half minute included.
    await t.core.testClock!.advance(90_000);

    const view = await t.call('connection.reconnect', NEW_YORK);
    expect(view).toMatchObject({ status: 'connected', targeting: NEW_YORK, session: { tier: 'city' } });
    const live = (await t.call('proxy.sessions', { status: 'active' })).sessions;
    expect(live.map((s) => s.id)).toEqual([(view as { session: { id: string } }).session.id]);
    const ended = (await t.call('proxy.sessions', { status: 'ended' })).sessions;
    expect(ended).toEqual([
      expect.objectContaining({ id: first.session.id, end_reason: 'disconnected', cost_micro: 12_500 }),
    ]);
    const usage = (await t.call('credits.transactions', { kind: 'usage' })).transactions;
    expect(usage.reduce((sum, tx) => sum - tx.amount_micro, 0)).toBe(12_500);
    expect(JSON.parse((await import('node:fs')).readFileSync(t.settingsFile, 'utf8')).last_location).toEqual(NEW_YORK);
  });

  it('a location the balance cannot unlock is refused and the live session is left running', async () => {
    const { connection } = await t.call('app.state');
    if (connection.status !== 'connected') expect.fail('expected the New York session to be live');
    await addCredits(service, t, -4_000_000n);
    await expect(t.call('connection.reconnect', { country: 'us', isp: 'Comcast' })).rejects.toMatchObject({
      code: 'insufficient_credits',
    });
    const live = (await t.call('proxy.sessions', { status: 'active' })).sessions;
    expect(live.map((s) => s.id)).toEqual([connection.session.id]);
  });

  it('while disconnected it is a plain Connect', async () => {
    await t.call('connection.disconnect');
    const view = await t.call('connection.reconnect', US);
    expect(view).toMatchObject({ status: 'connected', targeting: US });
    expect((await t.call('proxy.sessions', { status: 'active' })).sessions).toHaveLength(1);
  });
});
