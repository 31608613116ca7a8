import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import type { EmbeddedBillingPort } from '../../electron/core/app/embedded-billing-port.ts';
import { createClientCore, type ClientCoreOptions } from '../../electron/core/client-core.ts';
import type { ClientCore } from '../../electron/core/client-core-types.ts';
import { FileTokenStore } from '../../electron/core/settings/file-token-store.ts';
import { JsonSettingsStore } from '../../electron/core/settings/json-settings-store.ts';
import { ensureLocalAccount } from '../../server/accounts/local-account.ts';
import { adjustBalance } from '../../server/ledger/admin-adjustment.ts';
import {
  handleIpc,
  type EventOf,
  type InvokeChannel,
  type NotifyChannel,
  type ResponseOf,
} from '../../shared/ipc/bridge.ts';
import type { Settings } from '../../shared/ipc/views.ts';
import { startTestService, type TestService } from './test-service.ts';

/** A loopback port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The real billing service standing in for the embedded process: same start,
 * stop and test clock as EmbeddedBilling, in this process so the test can also
 * look at it. Its `stop` only records the call; the test stops the service.
 */
export async function embeddedTestService(): Promise<{
  service: TestService;
  port: EmbeddedBillingPort & { stops: number };
}> {
  // A fixed port, so the sandbox checkout links back to the origin the core talks to.
  const service = await startTestService('pglite', { PORT: String(await freePort()) });
  const port = {
    stops: 0,
    start: async () => ({
      url: service.url,
      token: (await ensureLocalAccount(service.db, service.config.tokenTtlMs)).token,
    }),
    stop: async () => {
      port.stops += 1;
    },
    advanceClock: async (ms: number) => service.clock.advance(ms),
    tick: () => service.worker.tick(),
  };
  return { service, port };
}

export interface TestCore {
  core: ClientCore;
  opened: string[];
  notified: { title: string; body: string }[];
  events: { channel: NotifyChannel; event: unknown }[];
  settingsFile: string;
  tokensFile: string;
  /** A call through handleIpc, as the shells make it: validated, and refused with a code. */
  call<C extends InvokeChannel>(channel: C, payload?: unknown): Promise<ResponseOf<C>>;
  /** Waits until an event of `channel` matches. */
  nextEvent<C extends NotifyChannel>(channel: C, match: (event: EventOf<C>) => boolean): Promise<EventOf<C>>;
}

/** A client core on fresh settings and token files in a temp folder, recording what it asks of its host. */
export async function startTestCore(
  options: Partial<ClientCoreOptions> & { initialSettings?: Partial<Settings> } = {},
): Promise<TestCore> {
  const dir = mkdtempSync(join(tmpdir(), 'atlantic-core-'));
  const settingsFile = join(dir, 'settings.json');
  const tokensFile = join(dir, 'tokens.json');
  const settings = new JsonSettingsStore(settingsFile);
  settings.write({ ...settings.read(), local_proxy_port: await freePort(), ...options.initialSettings });
  const opened: string[] = [];
  const notified: { title: string; body: string }[] = [];
  const core = await createClientCore({
    host: { openExternal: async (url) => void opened.push(url), notify: (notice) => notified.push(notice) },
    settings,
    tokens: new FileTokenStore(tokensFile),
    paymentPollMs: 50,
    ...options,
  });
  const events: TestCore['events'] = [];
  core.subscribe((channel, event) => events.push({ channel, event }));
  return {
    core,
    opened,
    notified,
    events,
    settingsFile,
    tokensFile,
    async call(channel, payload) {
      const result = await handleIpc(core.handlers, channel, payload);
      if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
      return result.value as never;
    },
    nextEvent: (channel, match) =>
      vi.waitFor(
        () => {
          const found = events.find((e) => e.channel === channel && match(e.event as never));
          if (!found) throw new Error(`no ${channel} event yet`);
          return found.event as never;
        },
        { timeout: 5000, interval: 20 },
      ),
  };
}

/** An admin adjustment on the core's signed-in account, then a wallet refresh so the core knows. */
export async function addCredits(service: TestService, t: TestCore, amountMicro: bigint): Promise<void> {
  const { info } = await t.call('app.state');
  await adjustBalance(service.db, {
    userId: info.account!.id,
    amount: amountMicro,
    reason: 'test credits',
    by: { adminId: null, name: 'test' },
  });
  await t.call('wallet.refresh');
}
