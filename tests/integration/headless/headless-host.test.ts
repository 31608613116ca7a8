import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { RendererMissingError, startHeadlessHost } from '../../../electron/headless/headless-host.ts';
import type { HeadlessHost } from '../../../electron/headless/host-types.ts';
import { fakeClientCore } from '../../support/fake-client-core.ts';

const log = pino({ level: 'silent' });
let rendererDir: string;

beforeAll(async () => {
  rendererDir = await mkdtemp(join(tmpdir(), 'headless-renderer-'));
  await mkdir(join(rendererDir, 'assets'));
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Atlantic Proxy</title><div id="root"></div>');
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log("app");');
});
afterAll(() => rm(rendererDir, { recursive: true, force: true }));

let host: HeadlessHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

async function start(options: { testClock?: boolean; coreTestClock?: boolean } = {}) {
  const core = fakeClientCore({ testClock: options.coreTestClock });
  host = await startHeadlessHost({
    createCore: async () => core,
    rendererDir,
    port: 0,
    testClock: options.testClock,
    log,
  });
  const origin = `http://127.0.0.1:${host.port}`;
  return { core, host, origin };
}

const cookieOf = (host: HeadlessHost) => `atlantic_token_${host.port}=${host.token}`;

/** Opens the bridge the way the page does; resolves with the socket and every message it gets. */
function openBridge(host: HeadlessHost, headers: Record<string, string>) {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/bridge`, { headers });
  const messages: any[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(data.toString())));
  const opened = new Promise<WebSocket>((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_request, response) =>
      reject(Object.assign(new Error('refused'), { status: response.statusCode })),
    );
    ws.once('error', reject);
  });
  return { ws, messages, opened };
}

async function nextMatching(messages: any[], predicate: (message: any) => boolean): Promise<any> {
  for (let waited = 0; waited < 5000; waited += 10) {
    const found = messages.find(predicate);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no matching message in ${JSON.stringify(messages)}`);
}

describe('headless host over HTTP', () => {
  it('answers a request without the token with 401 JSON', async () => {
    const { origin } = await start();
    for (const path of ['/', '/index.html', '/assets/app.js', '/?token=wrong', '/nothing-here']) {
      const response = await fetch(origin + path);
      expect(response.status, path).toBe(401);
      expect(await response.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    }
  });

  it('serves index.html with the token and sets an HttpOnly, SameSite=Strict cookie', async () => {
    const { host } = await start();
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const response = await fetch(host.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toContain('<title>Atlantic Proxy</title>');
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toContain(cookieOf(host));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('serves assets to the cookie alone, and refuses a stale cookie', async () => {
    const { host, origin } = await start();
    const withCookie = await fetch(`${origin}/assets/app.js`, { headers: { cookie: cookieOf(host) } });
    expect(withCookie.status).toBe(200);
    expect(await withCookie.text()).toContain('console.log');
    const stale = await fetch(`${origin}/assets/app.js`, {
      headers: { cookie: `atlantic_token_${host.port}=an-older-token` },
    });
    expect(stale.status).toBe(401);
  });

  it('answers an unknown path, token included, with 404 JSON', async () => {
    const { host, origin } = await start();
    const response = await fetch(`${origin}/no/such/file?token=${host.token}`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as any).error.code).toBe('not_found');
  });

  it('refuses to start without a built renderer, and says how to build it', async () => {
    const core = fakeClientCore();
    const starting = startHeadlessHost({
      createCore: async () => core,
      rendererDir: join(rendererDir, 'missing'),
      port: 0,
      log,
    });
    await expect(starting).rejects.toBeInstanceOf(RendererMissingError);
    await expect(starting).rejects.toThrow(/npm run build:renderer/);
  });
});

describe('headless host bridge', () => {
  it('refuses the WebSocket upgrade without the token, or from another origin', async () => {
    const { host, origin } = await start();
    await expect(openBridge(host, { origin }).opened).rejects.toMatchObject({ status: 401 });
    await expect(
      openBridge(host, { origin, cookie: `atlantic_token_${host.port}=guess` }).opened,
    ).rejects.toMatchObject({ status: 401 });
    await expect(
      openBridge(host, { origin: 'http://evil.example', cookie: cookieOf(host) }).opened,
    ).rejects.toMatchObject({ status: 403 });
    await expect(openBridge(host, { cookie: cookieOf(host) }).opened).rejects.toMatchObject({ status: 403 });
    // DNS rebinding: a foreign name that resolves to 127.0.0.1 is not this host's page.
    const rebound = `rebound.example:${host.port}`;
    await expect(
      openBridge(host, { host: rebound, origin: `http://${rebound}`, cookie: cookieOf(host) }).opened,
    ).rejects.toMatchObject({ status: 403 });
  });

  it('accepts its own page through another local address (localhost, an SSH tunnel)', async () => {
    const { host } = await start();
    for (const address of [`localhost:${host.port}`, '127.0.0.1:9000']) {
      const bridge = openBridge(host, { host: address, origin: `http://${address}`, cookie: cookieOf(host) });
      (await bridge.opened).close();
    }
  });

  it('carries a call to the core and its answer back', async () => {
    const { core, host, origin } = await start();
    const bridge = openBridge(host, { origin, cookie: cookieOf(host) });
    const ws = await bridge.opened;
    ws.send(JSON.stringify({ id: 7, channel: 'wallet.refresh' }));
    const reply = await nextMatching(bridge.messages, (m) => m.id === 7);
    expect(reply).toEqual({ id: 7, result: { ok: true, value: core.wallet } });
    expect(core.calls.map((call) => call.channel)).toContain('wallet.refresh');

    // The core's coded errors come back as the contract's error result.
    ws.send(JSON.stringify({ id: 8, channel: 'credits.purchase', payload: { package_id: 'pkg_25' } }));
    expect(await nextMatching(bridge.messages, (m) => m.id === 8)).toEqual({
      id: 8,
      result: { ok: false, error: { code: 'not_implemented', message: expect.stringContaining('credits.purchase') } },
    });
    expect(core.calls.at(-1)).toEqual({ channel: 'credits.purchase', request: { package_id: 'pkg_25' } });
  });

  it('accepts the token in the bridge address as well as in the cookie', async () => {
    const { host, origin } = await start();
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/bridge?token=${host.token}`, { headers: { origin } });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    ws.close();
  });

  it('answers malformed messages with error replies and keeps serving', async () => {
    const { core, host, origin } = await start();
    const bridge = openBridge(host, { origin, cookie: cookieOf(host) });
    const ws = await bridge.opened;
    const before = core.calls.length;
    ws.send('this is not json');
    ws.send(JSON.stringify({ id: 3, payload: {} }));
    ws.send(JSON.stringify([1, 2, 3]));
    ws.send(JSON.stringify(null));
    ws.send(Buffer.from([0xde, 0xad]), { binary: true });
    ws.send(JSON.stringify({ id: 4, channel: 'wallet.explode' }));
    ws.send(JSON.stringify({ id: 5, channel: 'credits.payment', payload: { payment_id: 'not-a-uuid' } }));
    ws.send(JSON.stringify({ id: 6, channel: 'wallet.changed' }));
    ws.send(JSON.stringify({ id: 9, channel: 'wallet.refresh' }));
    await nextMatching(bridge.messages, (m) => m.id === 9);

    const errors = bridge.messages.filter((m) => 'result' in m && !m.result.ok);
    expect(errors.filter((m) => m.id === null).map((m) => m.result.error.code)).toEqual([
      'bad_message',
      'bad_message',
      'bad_message',
      'bad_message',
    ]);
    const byId = (id: number) => bridge.messages.find((m) => m.id === id)?.result.error.code;
    expect(byId(3)).toBe('bad_message');
    expect(byId(4)).toBe('unknown_channel');
    expect(byId(5)).toBe('invalid_request');
    // An event channel is not a call.
    expect(byId(6)).toBe('unknown_channel');
    // Only the one well-formed call reached the core (app.state is the host's own opening read).
    expect(core.calls.slice(before).filter((call) => call.channel !== 'app.state')).toEqual([
      { channel: 'wallet.refresh', request: undefined },
    ]);
  });

  it('starts each window with the current state, then forwards the core’s events', async () => {
    const { core, host, origin } = await start();
    const bridge = openBridge(host, { origin, cookie: cookieOf(host) });
    await bridge.opened;
    const desktop = await nextMatching(bridge.messages, (m) => m.event === 'desktop.changed');
    expect(desktop.payload).toMatchObject({ system_proxy: { state: 'off', desktop: 'GNOME', message: null } });
    expect(bridge.messages.find((m) => m.event === 'connection.changed')?.payload).toEqual({ status: 'disconnected' });
    expect(bridge.messages.map((m) => m.event)).toEqual([
      'app.infoChanged',
      'settings.changed',
      'wallet.changed',
      'connection.changed',
      'desktop.changed',
    ]);

    const offline = { ...core.wallet, offline: true };
    core.emit('wallet.changed', offline);
    expect(await nextMatching(bridge.messages, (m) => m.event === 'wallet.changed' && m.payload.offline)).toEqual({
      event: 'wallet.changed',
      payload: offline,
    });
  });

  it('on close quits the core, closes open windows with 1001 and stops listening', async () => {
    const { core, host, origin } = await start();
    const bridge = openBridge(host, { origin, cookie: cookieOf(host) });
    const ws = await bridge.opened;
    const closed = new Promise<number>((resolve) => ws.once('close', resolve));
    await host.close();
    // close() is once only: afterEach's second call changes nothing.
    await host.close();
    expect(core.quitCalls).toBe(1);
    expect(await closed).toBe(1001);
    await expect(fetch(origin)).rejects.toThrow();
  });
});

describe('headless host test clock', () => {
  const advance = (origin: string, token: string | undefined, body: unknown) =>
    fetch(`${origin}/test/clock/advance${token ? `?token=${token}` : ''}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('does not exist without --test-clock, so nothing moves time', async () => {
    const { core, host, origin } = await start();
    const response = await advance(origin, host.token, { ms: 60_000 });
    expect(response.status).toBe(404);
    expect(core.advancedMs).toBe(0);
  });

  it('with --test-clock advances the core’s clock and answers the wallet snapshot after it', async () => {
    const { core, host, origin } = await start({ testClock: true });
    expect((await advance(origin, undefined, { ms: 60_000 })).status).toBe(401);
    expect((await advance(origin, host.token, { ms: -5 })).status).toBe(400);
    expect((await advance(origin, host.token, { minutes: 1 })).status).toBe(400);
    expect(core.advancedMs).toBe(0);

    const response = await advance(origin, host.token, { ms: 60_000 });
    expect(response.status).toBe(200);
    expect(core.advancedMs).toBe(60_000);
    expect(await response.json()).toEqual({ ...core.wallet, fetched_at: '2026-01-01T00:01:00.000Z' });
  });

  it('says so when the core has no test clock to move', async () => {
    const { host, origin } = await start({ testClock: true, coreTestClock: false });
    const response = await advance(origin, host.token, { ms: 60_000 });
    expect(response.status).toBe(409);
    expect(((await response.json()) as any).error.code).toBe('test_clock_unavailable');
  });
});
