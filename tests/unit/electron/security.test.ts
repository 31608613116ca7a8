// The Electron shell's security defaults, checked in plain Node: Electron's
// objects (ipcMain, webContents, session, contextBridge, safeStorage) are fakes
// with the same shape, so nothing here needs Electron's binary.
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { ipcChannels, IpcError, type IpcHandlers } from '../../../shared/ipc/bridge.ts';
import { ipcSchema } from '../../../shared/ipc/schema.ts';
import { registerIpcMain } from '../../../electron/ipc/ipc-main.ts';
import { exposeAtlantic } from '../../../electron/ipc/preload-bridge.ts';
import { PLAIN_TEXT_REFUSED, SafeTokenStore } from '../../../electron/stores/safe-token-store.ts';
import { appFilePath, serveAppFile } from '../../../electron/window/app-protocol.ts';
import { CheckoutLinks } from '../../../electron/window/checkout-links.ts';
import { applyContentSecurityPolicy, contentSecurityPolicy } from '../../../electron/window/content-security-policy.ts';
import { guardNavigation, restrictPermissions } from '../../../electron/window/navigation-guard.ts';
import { mainWindowOptions } from '../../../electron/window/window-options.ts';

const APP_PAGE = 'app://atlantic/index.html';
const invokeChannels = ipcChannels()
  .filter(({ entry }) => entry.kind === 'invoke')
  .map(({ channel }) => channel);

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((part) => {
      const [name, ...sources] = part.trim().split(/\s+/);
      return [name!, sources];
    }),
  );
}

describe('window options', () => {
  it('isolate and sandbox the renderer, with no Node and web security on', () => {
    const { webPreferences } = mainWindowOptions({ preload: '/app/out/electron/preload.cjs' });
    expect(webPreferences).toMatchObject({
      preload: '/app/out/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });
});

describe('content security policy', () => {
  const policy = contentSecurityPolicy();
  const csp = directives(policy);

  it('allows scripts only from the app, never inline or eval', () => {
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(policy).not.toContain('unsafe-eval');
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toContain('*');
  });

  it('shuts plugins, framing, base and form targets, and limits connections to the app', () => {
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
  });

  it('is added to every response of the session', () => {
    let listener: ((details: unknown, callback: (response: unknown) => void) => void) | undefined;
    applyContentSecurityPolicy(
      { webRequest: { onHeadersReceived: (l: typeof listener) => (listener = l) } } as never,
      policy,
    );
    const callback = vi.fn();
    listener!({ responseHeaders: { 'Content-Type': ['text/html'] } }, callback);
    expect(callback).toHaveBeenCalledWith({
      responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [policy] },
    });
  });

  it('comes with every file of the app protocol, which serves nothing outside the renderer build', async () => {
    const root = mkdtempSync(join(tmpdir(), 'renderer-'));
    const missing = await serveAppFile(root, `${APP_PAGE}`, policy);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('Content-Security-Policy')).toBe(policy);
    expect(appFilePath(root, 'app://atlantic/assets/app.js')).toBe(join(root, 'assets/app.js'));
    expect(appFilePath(root, 'app://atlantic/..%2f..%2fetc%2fpasswd')).toBeNull();
    expect(appFilePath(root, 'app://elsewhere/index.html')).toBeNull();
    expect(appFilePath(root, 'file:///etc/passwd')).toBeNull();
  });
});

/** A webContents with the events and handler the guard uses. */
function fakeContents() {
  const contents = Object.assign(new EventEmitter(), {
    openHandler: undefined as ((details: { url: string }) => { action: string }) | undefined,
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      contents.openHandler = handler;
    },
  });
  return contents;
}

const navigation = (url: string) => ({ url, preventDefault: vi.fn() });

describe('navigation guard', () => {
  function guarded() {
    const links = new CheckoutLinks();
    links.setServiceUrl('http://127.0.0.1:41234');
    const open = vi.fn(async (_url: string) => undefined);
    const contents = fakeContents();
    guardNavigation(contents as unknown as WebContents, { allows: (url) => links.allows(url), open });
    return { contents, open };
  }

  it('keeps the window on the app: navigation elsewhere and redirects are cancelled', () => {
    const { contents, open } = guarded();
    const inApp = navigation(`${APP_PAGE}#/buy`);
    const away = navigation('https://evil.example/phish');
    const redirect = navigation('https://evil.example/');
    contents.emit('will-navigate', inApp);
    contents.emit('will-navigate', away);
    contents.emit('will-redirect', redirect);
    expect(inApp.preventDefault).not.toHaveBeenCalled();
    expect(away.preventDefault).toHaveBeenCalled();
    expect(redirect.preventDefault).toHaveBeenCalled();
    expect(open).not.toHaveBeenCalled();
  });

  it('never attaches a webview', () => {
    const { contents } = guarded();
    const attach = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', attach);
    expect(attach.preventDefault).toHaveBeenCalled();
  });

  it('denies every window.open and opens only allow-listed checkout pages in the system browser', () => {
    const { contents, open } = guarded();
    const allowed = [
      'https://checkout.paystack.com/abc123',
      'http://127.0.0.1:41234/sandbox/checkout/6f1c2e0a-0000-4000-8000-000000000000',
    ];
    const refused = [
      'http://evil.example/',
      'https://evil.example/',
      'http://checkout.paystack.com/abc123',
      'https://checkout.paystack.com.evil.example/',
      'https://user:pw@checkout.paystack.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'app://atlantic/index.html',
      'http://127.0.0.1:9999/sandbox/checkout/x',
      'not a url',
    ];
    for (const url of [...allowed, ...refused]) expect(contents.openHandler!({ url })).toEqual({ action: 'deny' });
    expect(open.mock.calls.map(([url]) => url)).toEqual(allowed);
  });

  it('opens a checkout link the page navigates to, without leaving the app', () => {
    const { contents, open } = guarded();
    const toCheckout = navigation('https://checkout.paystack.com/abc123');
    contents.emit('will-navigate', toCheckout);
    expect(toCheckout.preventDefault).toHaveBeenCalled();
    expect(open).toHaveBeenCalledWith('https://checkout.paystack.com/abc123');
  });

  it('denies permission requests, except clipboard writes from the app itself', () => {
    let onRequest: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
    let onCheck: ((contents: unknown, permission: string, origin: string) => boolean) | undefined;
    restrictPermissions({
      setPermissionRequestHandler: (handler: typeof onRequest) => (onRequest = handler),
      setPermissionCheckHandler: (handler: typeof onCheck) => (onCheck = handler),
    } as never);
    const decide = (permission: string, url: string): boolean => {
      let granted: boolean | undefined;
      onRequest!({ getURL: () => url }, permission, (answer) => (granted = answer));
      return granted!;
    };
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read']) {
      expect(decide(permission, APP_PAGE)).toBe(false);
      expect(onCheck!(null, permission, 'app://atlantic')).toBe(false);
    }
    expect(decide('clipboard-sanitized-write', APP_PAGE)).toBe(true);
    expect(decide('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(onCheck!(null, 'clipboard-sanitized-write', 'https://evil.example')).toBe(false);
  });
});

describe('IPC in the main process', () => {
  function setup() {
    const registered = new Map<string, (event: unknown, payload?: unknown) => Promise<unknown>>();
    const ipcMain = {
      handle: (channel: string, handler: (event: unknown, payload?: unknown) => Promise<unknown>) =>
        registered.set(channel, handler),
      removeHandler: (channel: string) => registered.delete(channel),
    };
    const handlers = Object.fromEntries(
      invokeChannels.map((channel) => [channel, vi.fn(async () => ({ from: channel }))]),
    );
    let emit: ((channel: string, event: unknown) => void) | undefined;
    const core = {
      handlers: handlers as unknown as IpcHandlers,
      subscribe: (listener: typeof emit) => {
        emit = listener;
        return () => (emit = undefined);
      },
    };
    const window = { send: vi.fn(), isDestroyed: () => false };
    const dispose = registerIpcMain({
      ipcMain: ipcMain as never,
      core: core as never,
      windowContents: () => window as never,
    });
    const call = (channel: string, payload: unknown, event: unknown) =>
      registered.get(`atlantic:${channel}`)!(event, payload);
    const fromApp = { sender: window, senderFrame: { url: `${APP_PAGE}#/wallet`, parent: null } };
    return { registered, handlers, window, dispose, call, fromApp, emit: (c: string, e: unknown) => emit!(c, e) };
  }

  it('registers every call channel of the contract, and only those', () => {
    const { registered } = setup();
    expect([...registered.keys()].sort()).toEqual(invokeChannels.map((channel) => `atlantic:${channel}`).sort());
    expect(registered.size).toBeGreaterThan(15);
  });

  it('answers the main window showing the app page', async () => {
    const { call, fromApp, handlers } = setup();
    await expect(call('wallet.refresh', undefined, fromApp)).resolves.toEqual({
      ok: true,
      value: { from: 'wallet.refresh' },
    });
    await expect(call('credits.purchase', { package_id: 'pack_25' }, fromApp)).resolves.toMatchObject({ ok: true });
    expect(handlers['credits.purchase']).toHaveBeenCalledWith({ package_id: 'pack_25' });
  });

  it('refuses other senders without reaching the core', async () => {
    const { call, fromApp, handlers, window } = setup();
    const strangers = [
      { ...fromApp, sender: { send: vi.fn(), isDestroyed: () => false } },
      { sender: window, senderFrame: { url: 'https://evil.example/', parent: null } },
      { sender: window, senderFrame: { url: 'file:///tmp/index.html', parent: null } },
      { sender: window, senderFrame: { url: APP_PAGE, parent: { url: APP_PAGE } } },
      { sender: window, senderFrame: null },
    ];
    for (const event of strangers) {
      await expect(call('wallet.refresh', undefined, event)).resolves.toEqual({
        ok: false,
        error: { code: 'forbidden', message: expect.any(String) },
      });
    }
    expect(handlers['wallet.refresh']).not.toHaveBeenCalled();
  });

  it('refuses malformed payloads with invalid_request without reaching the core', async () => {
    const { call, fromApp, handlers } = setup();
    for (const payload of [{ package_id: 5 }, { package_id: 'pack_25', admin: true }, 'pack_25', null]) {
      await expect(call('credits.purchase', payload, fromApp)).resolves.toMatchObject({
        ok: false,
        error: { code: 'invalid_request' },
      });
    }
    await expect(call('credits.payment', { payment_id: 'not-a-uuid' }, fromApp)).resolves.toMatchObject({
      error: { code: 'invalid_request' },
    });
    expect(handlers['credits.purchase']).not.toHaveBeenCalled();
    expect(handlers['credits.payment']).not.toHaveBeenCalled();
  });

  it("sends the core's events to the window, and unregisters everything on dispose", () => {
    const { emit, window, dispose, registered } = setup();
    emit('wallet.changed', { offline: true });
    expect(window.send).toHaveBeenCalledWith('atlantic:wallet.changed', { offline: true });
    dispose();
    expect(registered.size).toBe(0);
  });
});

describe('preload', () => {
  function exposed() {
    const exposeInMainWorld = vi.fn();
    const ipcRenderer = Object.assign(new EventEmitter(), { invoke: vi.fn() });
    exposeAtlantic({ exposeInMainWorld }, ipcRenderer as never);
    return {
      exposeInMainWorld,
      ipcRenderer,
      atlantic: exposeInMainWorld.mock.calls[0]![1] as Record<string, Record<string, (...args: unknown[]) => unknown>>,
    };
  }

  it("exposes exactly window.atlantic with the contract's groups and methods", () => {
    const { exposeInMainWorld, atlantic } = exposed();
    expect(exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect(exposeInMainWorld.mock.calls[0]![0]).toBe('atlantic');
    expect(Object.keys(atlantic).sort()).toEqual(Object.keys(ipcSchema).sort());
    for (const { group, name, entry } of ipcChannels()) {
      const method = entry.kind === 'invoke' ? name : `on${name[0]!.toUpperCase()}${name.slice(1)}`;
      expect(typeof atlantic[group]![method]).toBe('function');
    }
    const methodCount = Object.values(atlantic).reduce((sum, group) => sum + Object.keys(group).length, 0);
    expect(methodCount).toBe(ipcChannels().length);
  });

  it('calls over the prefixed channel and rethrows refusals with their code', async () => {
    const { ipcRenderer, atlantic } = exposed();
    ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, value: { balance: null } });
    await expect(atlantic.wallet!.refresh!()).resolves.toEqual({ balance: null });
    expect(ipcRenderer.invoke).toHaveBeenCalledWith('atlantic:wallet.refresh', undefined);
    ipcRenderer.invoke.mockResolvedValueOnce({ ok: false, error: { code: 'forbidden', message: 'no' } });
    const refused = atlantic.credits!.packages!() as Promise<unknown>;
    await expect(refused).rejects.toBeInstanceOf(IpcError);
    await expect(refused).rejects.toMatchObject({ code: 'forbidden' });
  });

  it("hands listeners the event's payload only, never Electron's event object", () => {
    const { ipcRenderer, atlantic } = exposed();
    const listener = vi.fn();
    const unsubscribe = atlantic.wallet!.onChanged!(listener) as () => void;
    ipcRenderer.emit('atlantic:wallet.changed', { sender: 'ipc internals' }, { offline: false });
    expect(listener).toHaveBeenCalledWith({ offline: false });
    expect(listener.mock.calls[0]).toHaveLength(1);
    unsubscribe();
    expect(ipcRenderer.listenerCount('atlantic:wallet.changed')).toBe(0);
  });

  it('preload.ts exposes nothing but window.atlantic', async () => {
    const exposeInMainWorld = vi.fn();
    vi.doMock('electron', () => ({ contextBridge: { exposeInMainWorld }, ipcRenderer: new EventEmitter() }));
    await import('../../../electron/preload.ts');
    expect(exposeInMainWorld.mock.calls.map(([key]) => key)).toEqual(['atlantic']);
    vi.doUnmock('electron');
  });
});

describe('token store', () => {
  const fakeSafeStorage = (available: boolean, backend?: 'basic_text' | 'gnome_libsecret') => ({
    isEncryptionAvailable: () => available,
    encryptString: (text: string) => Buffer.from(`sealed:${[...text].reverse().join('')}`),
    decryptString: (sealed: Buffer) => [...sealed.toString().replace(/^sealed:/, '')].reverse().join(''),
    ...(backend ? { getSelectedStorageBackend: () => backend } : {}),
  });
  const server = 'https://billing.example';
  const token = 'tok_plaintext_secret';

  it.each([
    ['safeStorage is unavailable', fakeSafeStorage(false)],
    ["Linux's basic_text fallback is all there is", fakeSafeStorage(true, 'basic_text')],
  ])('refuses to write the token in plain text when %s', (_case, safeStorage) => {
    const file = join(mkdtempSync(join(tmpdir(), 'tokens-')), 'tokens.json');
    const refused = vi.fn();
    const store = new SafeTokenStore(file, safeStorage, refused);
    store.write(server, token);
    expect(refused).toHaveBeenCalledWith(PLAIN_TEXT_REFUSED);
    if (existsSync(file)) expect(readFileSync(file, 'utf8')).not.toContain(token);
    // This run keeps working; the next start asks to sign in again.
    expect(store.read(server)).toBe(token);
    expect(new SafeTokenStore(file, safeStorage).read(server)).toBeUndefined();
  });

  it('keeps only ciphertext on disk when encryption is available', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tokens-')), 'tokens.json');
    const safeStorage = fakeSafeStorage(true, 'gnome_libsecret');
    const refused = vi.fn();
    new SafeTokenStore(file, safeStorage, refused).write(server, token);
    expect(readFileSync(file, 'utf8')).not.toContain(token);
    expect(new SafeTokenStore(file, safeStorage).read(server)).toBe(token);
    new SafeTokenStore(file, safeStorage).write(server, undefined);
    expect(new SafeTokenStore(file, safeStorage).read(server)).toBeUndefined();
    expect(refused).not.toHaveBeenCalled();
  });
});
