import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedTestService, freePort, startTestCore, type TestCore } from '../../../support/test-core.ts';
import type { TestService } from '../../../support/test-service.ts';

// A port another program holds: refused when saved, with the reason, and nothing moves.

describe('saving a local proxy port that is taken [pglite]', () => {
  let service: TestService;
  let t: TestCore;
  let squatter: net.Server;
  let taken: number;

  beforeAll(async () => {
    let embedded;
    ({ service, port: embedded } = await embeddedTestService());
    t = await startTestCore({ embedded });
    squatter = net.createServer();
    taken = await freePort();
    await new Promise<void>((resolve) => squatter.listen(taken, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await t?.core.quit();
    await new Promise((resolve) => squatter?.close(resolve));
    await service?.stop();
  });

  it('is refused with port_in_use and a sentence; the settings and the running proxy stay as they were', async () => {
    const before = await t.call('app.state');
    await expect(t.call('settings.update', { local_proxy_port: taken })).rejects.toMatchObject({
      code: 'port_in_use',
      message: `Port ${taken} is already in use by another program. Choose another local proxy port.`,
    });
    const after = await t.call('app.state');
    expect(after.settings.local_proxy_port).toBe(before.settings.local_proxy_port);
    expect(after.info.local_proxy).toEqual(before.info.local_proxy);
    expect(t.events.filter((e) => e.channel === 'settings.changed')).toEqual([]);
  });

  it('a free port is saved and the proxy moves there', async () => {
    const port = await freePort();
    const saved = await t.call('settings.update', { local_proxy_port: port });
    expect(saved.local_proxy_port).toBe(port);
    expect((await t.call('app.state')).info.local_proxy).toMatchObject({ port, problem: null });
  });
});
