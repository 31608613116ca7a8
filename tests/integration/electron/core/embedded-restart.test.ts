import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { EmbeddedBillingPort } from '../../../../electron/core/app/embedded-billing-port.ts';
import { EmbeddedBilling, type EmbeddedEndpoint } from '../../../../electron/core/embedded/embedded-billing.ts';
import { nodeProcessLauncher, type ChildLike } from '../../../../electron/core/embedded/process-launcher.ts';
import { serviceProcessEntry } from '../../../../electron/core/embedded/service-entry.ts';
import { buyWithSandbox, callJson } from '../../../support/billed-client.ts';
import { startTestCore, type TestCore } from '../../../support/test-core.ts';

// The desktop app's own billing process dies (a crash, the OOM killer): the app starts it
// again with backoff, says so, and the balance and the live session are still there.
describe('the embedded billing process exits unexpectedly [pglite]', () => {
  let dataDir: string;
  let t: TestCore | undefined;

  afterAll(async () => {
    await t?.core.quit();
    await rm(dataDir, { recursive: true, force: true });
  });

  it(
    'is restarted on the same addresses, the user is told, and the live session resumes',
    { timeout: 240_000 },
    async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'atlantic-restart-'));
      let child: ChildLike | undefined;
      const billing = new EmbeddedBilling({
        launcher: { launch: (entry, options) => (child = nodeProcessLauncher.launch(entry, options)) },
        entryPath: serviceProcessEntry(),
        dataDir,
        env: { LOG_LEVEL: 'warn' },
        startTimeoutMs: 120_000,
      });
      const endpoints: EmbeddedEndpoint[] = [];
      const embedded: EmbeddedBillingPort = {
        start: async () => {
          const endpoint = await billing.start();
          endpoints.push(endpoint);
          return endpoint;
        },
        stop: () => billing.stop(),
        onUnexpectedExit: (listener) => billing.onUnexpectedExit(listener),
      };
      t = await startTestCore({ embedded, heartbeatIntervalMs: 500 });
      const first = endpoints[0]!;
      await buyWithSandbox(first.url, first.token);
      await t.call('wallet.refresh');
      const connected = await t.call('connection.connect', { country: 'us' });
      if (connected.status !== 'connected') throw new Error(`not connected: ${connected.status}`);
      const sessionId = connected.session.id;

      child!.kill(); // SIGKILL: no stop was asked for
      await vi.waitFor(() => expect(endpoints).toHaveLength(2), { timeout: 120_000, interval: 100 });
      const second = endpoints[1]!;
      expect(second.url).toBe(first.url);
      expect(second.gateway.port).toBe(first.gateway.port);
      const notices = () =>
        t!.events.filter((e) => e.channel === 'app.notice').map((e) => (e.event as { title: string }).title);
      await vi.waitFor(() => expect(notices()).toEqual(['Billing stopped unexpectedly', 'Billing is running again']), {
        timeout: 10_000,
      });

      // The session is the same one, still live, still heartbeating through the app's client.
      const before = await callJson(second.url, 'GET', '/api/proxy/sessions?status=active', second.token);
      expect(before!.body.sessions.map((s: { id: string }) => s.id)).toEqual([sessionId]);
      // The app's heartbeats failed while it was down; they reach the restarted service and it is connected again.
      await vi.waitFor(
        async () =>
          expect((await t!.call('app.state')).connection).toMatchObject({
            status: 'connected',
            session: { id: sessionId },
          }),
        { timeout: 30_000, interval: 200 },
      );
      const balance = await callJson(second.url, 'GET', '/api/credits/balance', second.token);
      expect(balance!.body.balance_micro).toBeGreaterThan(4_990_000);
    },
  );
});
