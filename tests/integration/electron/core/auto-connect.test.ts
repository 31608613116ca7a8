import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../../electron/core/client-core.ts';
import { addCredits, embeddedTestService, startTestCore, type TestCore } from '../../../support/test-core.ts';
import type { TestService } from '../../../support/test-service.ts';

const US = { country: 'us' };

describe('auto-connect at start [pglite]', () => {
  let service: TestService;
  let embedded: Awaited<ReturnType<typeof embeddedTestService>>['port'];
  const cores: TestCore[] = [];

  /** A core started as the app starts, recording whether it asked for the window. */
  async function start(settings: { auto_connect: boolean; last_location: typeof US | null }) {
    const windows: unknown[] = [];
    const notified: { title: string; body: string }[] = [];
    const t = await startTestCore({
      embedded,
      initialSettings: settings,
      host: {
        openExternal: async () => undefined,
        notify: (notice) => notified.push(notice),
        showWindow: (page) => windows.push(page ?? 'wallet'),
      },
    });
    cores.push(t);
    await (t.core as Core).autoConnected;
    return { t, windows, notified };
  }

  beforeAll(async () => {
    ({ service, port: embedded } = await embeddedTestService());
  });
  afterAll(async () => {
    for (const t of cores) await t.core.quit();
    await service?.stop();
  });

  it('without credits for the last location: stays disconnected, says why in a notification, opens no window', async () => {
    const { t, windows, notified } = await start({ auto_connect: true, last_location: US });
    expect((await t.call('app.state')).connection.status).toBe('disconnected');
    expect(notified).toEqual([
      {
        title: 'Could not connect automatically',
        body: expect.stringMatching(/Add credits first\. Open Atlantic Proxy/),
      },
    ]);
    expect(t.events).toContainEqual({
      channel: 'app.notice',
      event: expect.objectContaining({ kind: 'auto_connect_failed' }),
    });
    expect(windows).toEqual([]);
    await t.core.quit();
  });

  it('on, signed in, with a last location: connects to it at start without opening the window', async () => {
    await addCredits(service, cores[0]!, 2_000_000n);
    const { t, windows, notified } = await start({ auto_connect: true, last_location: US });
    const { connection } = await t.call('app.state');
    expect(connection).toMatchObject({ status: 'connected', targeting: US, session: { tier: 'country' } });
    const live = await t.call('proxy.sessions', { status: 'active' });
    expect(live.sessions).toHaveLength(1);
    expect(windows).toEqual([]);
    expect(notified).toEqual([]);
    await t.core.quit();
  });

  it('off: the app starts disconnected, whatever the last location', async () => {
    const { t } = await start({ auto_connect: false, last_location: US });
    expect((await t.call('app.state')).connection.status).toBe('disconnected');
    expect(t.events.filter((e) => e.channel === 'connection.changed')).toEqual([]);
    expect((await t.call('proxy.sessions', { status: 'active' })).sessions).toEqual([]);
  });

  it('on without a last location: nothing to connect to, nothing said', async () => {
    const { t, notified, windows } = await start({ auto_connect: true, last_location: null });
    expect((await t.call('app.state')).connection.status).toBe('disconnected');
    expect([...notified, ...windows]).toEqual([]);
  });
});
