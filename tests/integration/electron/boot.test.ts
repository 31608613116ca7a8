// The app boots: the built main process (npm run build:electron's out/electron/main.js)
// run in Node with a stand-in `electron` module that records what the app asks of
// Electron, with the embedded billing service as a real child process, a real
// gsettings (keyfile backend) for the system proxy, and the app's data in a temp folder.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GnomeGsettings, GNOME_KEYS } from '../../../electron/core/system-proxy/gnome-gsettings.ts';
import { buildElectron } from '../../../scripts/build-electron.ts';
import { ipcChannels } from '../../../shared/ipc/bridge.ts';
import { bootApp, type BootedApp } from '../../support/electron-stand-in/boot-app.ts';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const userData = mkdtempSync(join(tmpdir(), 'atlantic-boot-'));
/** gsettings on the app's PATH logs each call with the time (ms) before running the real one. */
const bin = mkdtempSync(join(tmpdir(), 'atlantic-boot-bin-'));
const GSETTINGS_LOG = join(bin, 'gsettings.log');
writeFileSync(
  join(bin, 'gsettings'),
  '#!/bin/sh\necho "$(date +%s%3N) $*" >> "$GSETTINGS_LOG"\nexec /usr/bin/gsettings "$@"\n',
  {
    mode: 0o755,
  },
);
const env = {
  GSETTINGS_BACKEND: 'keyfile',
  XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'atlantic-boot-xdg-')),
  XDG_CURRENT_DESKTOP: 'GNOME',
  GSETTINGS_LOG,
  PATH: `${bin}:${process.env.PATH}`,
};
/** The app's gsettings writes so far, with when. */
const gsettingsWrites = () =>
  readFileSync(GSETTINGS_LOG, 'utf8')
    .trim()
    .split('\n')
    .map((line) => ({ at: Number(line.slice(0, line.indexOf(' '))), args: line.slice(line.indexOf(' ') + 1) }))
    .filter(({ args }) => !args.startsWith('get '));
const gsettings = (...args: string[]) =>
  execFileSync('gsettings', args, { env: { ...process.env, ...env }, encoding: 'utf8' }).trim();
const readProxy = () => Object.fromEntries(GNOME_KEYS.map((name) => [name, gsettings('get', ...name.split(' '))]));
const JOURNAL = join(userData, 'system-proxy-journal.json');

/** Asks until the answer passes (the app works in the background: payments, connects). */
async function until<T>(ask: () => Promise<T>, passes: (answer: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await ask();
    if (passes(answer)) return answer;
    if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(answer)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const value = <T>(result: { ok: boolean; value?: unknown; error?: unknown }): T => {
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.error)}`);
  return result.value as T;
};

/** Waits until GNOME points at the app's local proxy (the mode is written last: once manual, all is set). */
async function untilPointedAtLocalProxy(booted: BootedApp): Promise<void> {
  const { info } = value<{ info: { local_proxy: { port: number } } }>(await booted.invoke('app.state'));
  await until(
    async () => readProxy(),
    (proxy) =>
      proxy['org.gnome.system.proxy mode'] === "'manual'" &&
      proxy['org.gnome.system.proxy.http port'] === String(info.local_proxy.port),
  );
}

describe('the desktop app boots (built bundle, stand-in electron) [pglite]', () => {
  let previous: Record<string, string>;
  let app: BootedApp | undefined;
  let firstSession: string;

  beforeAll(async () => {
    await buildElectron();
    gsettings('set', 'org.gnome.system.proxy', 'mode', 'auto');
    gsettings('set', 'org.gnome.system.proxy.http', 'host', 'corp.example');
    gsettings('set', 'org.gnome.system.proxy.http', 'port', '3128');
    previous = readProxy();
  }, 120_000);
  afterAll(async () => {
    if (!app) return;
    await Promise.race([app.quit(), new Promise((resolve) => setTimeout(resolve, 20_000))]);
    app.kill();
  });

  it('first start: one hardened window, tray, the contract over IPC, embedded billing in a child, a wallet answer', async () => {
    app = bootApp({ userData, env });
    await app.waitFor(() => app!.calls('window.loadURL').length > 0);
    const calls = app.records.map((r) => r.call);
    expect(calls.indexOf('app.requestSingleInstanceLock')).toBeGreaterThanOrEqual(0);
    expect(app.calls('protocol.registerSchemesAsPrivileged')).toEqual([
      [[{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } }]],
    ]);
    expect(calls.indexOf('protocol.registerSchemesAsPrivileged')).toBeLessThan(calls.indexOf('protocol.handle'));

    const windows = app.calls('new BrowserWindow');
    expect(windows).toHaveLength(1);
    expect(windows[0]![0]).toMatchObject({
      show: false,
      webPreferences: {
        preload: join(REPO, 'out/electron/preload.cjs'),
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        webviewTag: false,
      },
    });
    expect(app.calls('window.loadURL')).toEqual([['app://atlantic/index.html']]);
    // Started by the user, not at login: the window appears once painted.
    await app.waitFor(() => app!.calls('window.show').length === 1);
    expect(calls).toEqual(
      expect.arrayContaining(['webContents.setWindowOpenHandler', 'session.setPermissionRequestHandler']),
    );

    expect(app.calls('new Tray')).toEqual([[{ path: join(REPO, 'build/icons/tray-disconnected.png') }]]);
    const menu = (app.calls('tray.setContextMenu').at(-1)![0] as { template: { id?: string }[] }).template;
    expect(menu.map((item) => item.id).filter(Boolean)).toEqual([
      'status',
      'connect',
      'balance',
      'buy',
      'open',
      'quit',
    ]);

    const contract = ipcChannels()
      .filter(({ entry }) => entry.kind === 'invoke')
      .map(({ channel }) => `atlantic:${channel}`);
    expect(
      app
        .calls('ipcMain.handle')
        .map(([channel]) => channel)
        .sort(),
    ).toEqual([...contract].sort());

    const [[entry, pid]] = app.calls('utilityProcess.fork') as [[string, number]];
    expect(entry).toBe(join(REPO, 'out/electron/service-process.mjs'));
    expect(() => process.kill(pid, 0)).not.toThrow();

    const state = value<{ info: { mode: string; signed_in: boolean }; desktop: unknown }>(
      await app.invoke('app.state'),
    );
    expect(state.info).toMatchObject({ mode: 'embedded', signed_in: true });
    // GNOME's settings are there to point; a checkout has no update feed, so updates are quietly off.
    expect(state.desktop).toEqual({
      system_proxy: { state: 'off', desktop: 'GNOME', message: null },
      update: { state: 'disabled', version: null, percent: null, message: null },
    });
    const wallet = value<{ balance: { balance_micro: number } }>(await app.invoke('wallet.refresh'));
    expect(wallet.balance.balance_micro).toBe(0);
    // Something outside the contract, or a bad payload, is refused the same way the preload's would be.
    expect(await app.invoke('credits.purchase', { package_id: '' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
  }, 120_000);

  it('buys credits, turns on auto-connect and the system proxy, connects; Quit disconnects, restores, stops billing', async () => {
    const booted = app!;
    const payment = value<{ checkout_url: string }>(await booted.invoke('credits.purchase', { package_id: 'usd_25' }));
    expect(booted.calls('shell.openExternal')).toEqual([[payment.checkout_url]]);
    const paid = await fetch(`${payment.checkout_url}/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(paid.status).toBe(200);
    await until(
      async () => value<{ balance: { balance_micro: number } }>(await booted.invoke('wallet.refresh')),
      (wallet) => wallet.balance.balance_micro === 27_000_000,
    );

    const autostart = join(env.XDG_CONFIG_HOME, 'autostart', 'atlantic-proxy.desktop');
    value(await booted.invoke('settings.update', { start_at_login: true }));
    expect(readFileSync(autostart, 'utf8')).toContain(
      `Exec="${process.execPath}" "${REPO.replace(/\/$/, '')}" "--hidden"`,
    );
    value(await booted.invoke('settings.update', { start_at_login: false }));
    expect(() => readFileSync(autostart)).toThrow(/ENOENT/);
    value(await booted.invoke('settings.update', { auto_connect: true, system_proxy: true }));
    const view = value<{ status: string; session: { id: string } }>(
      await booted.invoke('connection.connect', { country: 'us' }),
    );
    expect(view.status).toBe('connected');
    firstSession = view.session.id;
    await untilPointedAtLocalProxy(booted);

    const [[, billingPid]] = booted.calls('utilityProcess.fork') as [[string, number]];
    expect(await booted.quit()).toBe(0);
    app = undefined;
    expect(booted.calls('utilityProcess.exit')).toEqual([[billingPid, 0, null]]);
    expect(booted.calls('tray.destroy')).toHaveLength(1);
    expect(readProxy()).toEqual(previous);
    expect(() => readFileSync(JOURNAL)).toThrow(/ENOENT/);
  }, 120_000);

  it('next start at login after a crash: the journal restored first, auto-connected with no window; the last session was disconnected', async () => {
    // As a process killed while pointing GNOME at a proxy on port 1 leaves it.
    const applied = new GnomeGsettings(async () => '').target({ host: '127.0.0.1', port: 1 });
    writeFileSync(JOURNAL, JSON.stringify({ desktop: 'GNOME', previous, applied }));
    for (const [name, setting] of Object.entries(applied)) gsettings('set', ...name.split(' '), setting!);
    expect(gsettings('get', 'org.gnome.system.proxy.http', 'port')).toBe('1');

    writeFileSync(GSETTINGS_LOG, '');
    const booted = (app = bootApp({ userData, env, args: ['--hidden'] }));
    const connected = await booted.waitFor(() =>
      booted
        .calls('webContents.send')
        .find(
          ([channel, event]) =>
            channel === 'atlantic:connection.changed' && (event as { status: string }).status === 'connected',
        ),
    );
    expect(connected[1]).toMatchObject({ targeting: { country: 'us' } });
    await untilPointedAtLocalProxy(booted);
    // Pointing again started from the restored settings, not from port 1.
    expect(JSON.parse(readFileSync(JOURNAL, 'utf8')).previous).toEqual(previous);
    // The restore came first, before the billing service was even started: mode back to 'auto' first.
    const [restore] = gsettingsWrites();
    expect(restore!.args).toBe("set org.gnome.system.proxy mode 'auto'");
    const [billingStart] = booted.records.filter((r) => r.call === 'utilityProcess.fork');
    expect(restore!.at).toBeLessThanOrEqual(billingStart!.at);
    expect(booted.calls('window.show')).toEqual([]);

    const ended = value<{ sessions: { id: string; end_reason: string }[] }>(
      await booted.invoke('proxy.sessions', { status: 'ended' }),
    );
    expect(ended.sessions).toEqual([expect.objectContaining({ id: firstSession, end_reason: 'disconnected' })]);
    const live = value<{ sessions: unknown[] }>(await booted.invoke('proxy.sessions', { status: 'active' }));
    expect(live.sessions).toHaveLength(1);

    expect(await booted.quit()).toBe(0);
    app = undefined;
    expect(readProxy()).toEqual(previous);
  }, 120_000);
});
