// The system proxy on a real gsettings (its keyfile backend in a temp
// XDG_CONFIG_HOME, so the machine's own settings are never touched): the
// client core sets it on connect, puts it back on disconnect, and a start after
// a process died with SIGKILL while pointing at itself restores from the journal.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { execFileRunner } from '../../../../electron/core/system-proxy/command-runner.ts';
import { GnomeGsettings, GNOME_KEYS } from '../../../../electron/core/system-proxy/gnome-gsettings.ts';
import { ProxyJournal } from '../../../../electron/core/system-proxy/proxy-journal.ts';
import { SystemProxy } from '../../../../electron/core/system-proxy/system-proxy.ts';
import { addCredits, embeddedTestService, freePort, startTestCore, type TestCore } from '../../../support/test-core.ts';
import type { TestService } from '../../../support/test-service.ts';

const env = {
  ...process.env,
  GSETTINGS_BACKEND: 'keyfile',
  XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'atlantic-gsettings-')),
};
const gsettings = (...args: string[]) => execFileSync('gsettings', args, { env, encoding: 'utf8' }).trim();
const readAll = () => Object.fromEntries(GNOME_KEYS.map((name) => [name, gsettings('get', ...name.split(' '))]));

/** What the user had before: a corporate proxy in auto mode. */
function setPrevious(): Record<string, string> {
  gsettings('set', 'org.gnome.system.proxy', 'mode', 'auto');
  gsettings('set', 'org.gnome.system.proxy', 'ignore-hosts', "['localhost', '*.corp']");
  gsettings('set', 'org.gnome.system.proxy.http', 'host', 'corp.example');
  gsettings('set', 'org.gnome.system.proxy.http', 'port', '3128');
  return readAll();
}

const journalFile = join(mkdtempSync(join(tmpdir(), 'atlantic-journal-')), 'system-proxy.json');
/** Every gsettings write the app makes ("set org.gnome.system.proxy mode 'manual'"). */
const writes: string[] = [];
const run = execFileRunner(env);
const systemProxy = () =>
  new SystemProxy({
    adapter: new GnomeGsettings(async (command, args) => {
      if (args[0] !== 'get') writes.push(args.join(' '));
      return run(command, args);
    }),
    journal: new ProxyJournal(journalFile),
    onError: (error) => expect.fail(String(error)),
  });

describe('system proxy on real gsettings (keyfile backend) [pglite]', () => {
  let service: TestService;
  let embedded: Awaited<ReturnType<typeof embeddedTestService>>['port'];
  const cores: TestCore[] = [];

  beforeAll(async () => {
    ({ service, port: embedded } = await embeddedTestService());
  });
  afterAll(async () => {
    for (const t of cores) await t.core.quit();
    await service?.stop();
  });

  it('connect points org.gnome.system.proxy at the local proxy; disconnect restores every previous value', async () => {
    const previous = setPrevious();
    const proxy = systemProxy();
    const t = await startTestCore({
      embedded,
      desktop: { systemProxy: proxy },
      initialSettings: { system_proxy: true },
    });
    cores.push(t);
    const { info } = await t.call('app.state');
    await addCredits(service, t, 5_000_000n);
    await t.call('connection.connect', { country: 'us' });
    await t.nextEvent('desktop.changed', (d) => d.system_proxy.state === 'on');
    const port = String(info.local_proxy.port);
    expect(readAll()).toMatchObject({
      'org.gnome.system.proxy mode': "'manual'",
      'org.gnome.system.proxy.http host': "'127.0.0.1'",
      'org.gnome.system.proxy.http port': port,
      'org.gnome.system.proxy.https host': "'127.0.0.1'",
      'org.gnome.system.proxy.https port': port,
      'org.gnome.system.proxy.socks host': "'127.0.0.1'",
      'org.gnome.system.proxy.socks port': port,
    });
    expect(gsettings('get', 'org.gnome.system.proxy', 'ignore-hosts')).toContain("'192.168.0.0/16'");

    // The setting switched off and on while connected takes effect at once, both ways.
    t.events.length = 0;
    await t.call('settings.update', { system_proxy: false });
    await t.nextEvent('desktop.changed', (d) => d.system_proxy.state === 'off');
    expect(readAll()).toEqual(previous);
    await t.call('settings.update', { system_proxy: true });
    await t.nextEvent('desktop.changed', (d) => d.system_proxy.state === 'on');
    expect(gsettings('get', 'org.gnome.system.proxy.http', 'port')).toBe(port);

    // Reconnect to apply another location, then disconnect: the system proxy stays on the local
    // proxy through the reconnect, so the only writes are the final restore (nothing set to manual again).
    writes.length = 0;
    expect(await t.call('connection.reconnect', { country: 'us', city: 'New York' })).toMatchObject({
      status: 'connected',
    });
    await t.call('connection.disconnect');
    await proxy.idle();
    expect(new ProxyJournal(journalFile).read()).toBeNull();
    expect(readAll()).toEqual(previous);
    expect(writes.filter((write) => write.includes('manual'))).toEqual([]);
    expect(writes[0]).toBe("set org.gnome.system.proxy mode 'auto'");
    expect(new ProxyJournal(journalFile).read()).toBeNull();
  });

  it('a process killed with SIGKILL while pointing at itself is followed by a start that restores from the journal', async () => {
    const previous = setPrevious();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'tests/support/system-proxy-child.ts', journalFile, String(await freePort())],
      { env, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await vi.waitFor(() => expect(output).toContain('pointed on'), { timeout: 20_000, interval: 50 });
    expect(gsettings('get', 'org.gnome.system.proxy', 'mode')).toBe("'manual'");
    const exited = new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(gsettings('get', 'org.gnome.system.proxy', 'mode')).toBe("'manual'");

    const t = await startTestCore({ embedded, desktop: { systemProxy: systemProxy() } });
    cores.push(t);
    // createClientCore has resolved: the restore came first, before the core's own start.
    expect(readAll()).toEqual(previous);
    expect(new ProxyJournal(journalFile).read()).toBeNull();
    expect((await t.call('app.state')).desktop.system_proxy).toMatchObject({
      state: 'off',
      desktop: 'GNOME',
      message: expect.stringMatching(/Restored your proxy settings/),
    });
  });
});
