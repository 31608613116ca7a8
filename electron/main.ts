// The Electron composition root: it only wires Electron's objects to the client
// core and the small controllers beside it. Every decision lives in a module
// that runs (and is tested) without Electron.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  Notification,
  protocol,
  safeStorage,
  session,
  shell,
  Tray,
  utilityProcess,
} from 'electron';
import Store from 'electron-store';
import type { Settings } from '../shared/ipc/views.ts';
import { appPaths } from './app-paths.ts';
import { createClientCore } from './core/client-core.ts';
import type { CoreHost } from './core/client-core-types.ts';
import { EmbeddedBilling } from './core/embedded/embedded-billing.ts';
import { applyLinuxAutostart, xdgConfigHome } from './core/settings/linux-autostart.ts';
import { execFileRunner } from './core/system-proxy/command-runner.ts';
import { systemProxyAdapter } from './core/system-proxy/desktop-adapter.ts';
import { ProxyJournal } from './core/system-proxy/proxy-journal.ts';
import { SystemProxy } from './core/system-proxy/system-proxy.ts';
import { updateFeed } from './core/update/update-feed.ts';
import { utilityProcessLauncher } from './embedded/utility-process-launcher.ts';
import { registerIpcMain } from './ipc/ipc-main.ts';
import { quitSequence } from './quit-sequence.ts';
import { ElectronSettingsStore } from './stores/electron-settings-store.ts';
import { SafeTokenStore } from './stores/safe-token-store.ts';
import { TrayController } from './tray/tray-controller.ts';
import { loadUpdater } from './update/load-updater.ts';
import { handleAppProtocol, registerAppScheme } from './window/app-protocol.ts';
import { CheckoutLinks } from './window/checkout-links.ts';
import { applyContentSecurityPolicy, contentSecurityPolicy } from './window/content-security-policy.ts';
import { MainWindow } from './window/main-window.ts';
import { guardNavigation, restrictPermissions } from './window/navigation-guard.ts';
import { mainWindowOptions } from './window/window-options.ts';

/** Started at login: stay in the tray until the user opens the window. */
const HIDDEN_FLAG = '--hidden';

const paths = appPaths(dirname(fileURLToPath(import.meta.url)), app.isPackaged ? process : null);
// The operator's BTCPay host, for remote mode with crypto payments.
const checkoutHosts = (process.env.ATLANTIC_CHECKOUT_HOSTS ?? '').split(',').filter(Boolean);

registerAppScheme(protocol);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.whenReady().then(start).catch(fail);
}

async function start(): Promise<void> {
  const policy = contentSecurityPolicy();
  handleAppProtocol(protocol, paths.renderer, policy);
  applyContentSecurityPolicy(session.defaultSession, policy);
  restrictPermissions(session.defaultSession);

  const links = new CheckoutLinks(checkoutHosts);
  const window = new BrowserWindow(
    mainWindowOptions({ preload: paths.preload, icon: join(paths.icons, '256x256.png') }),
  );
  guardNavigation(window.webContents, { allows: (url) => links.allows(url), open: (url) => shell.openExternal(url) });
  const mainWindow = new MainWindow(window);

  const host: CoreHost = {
    openExternal: async (url) => {
      if (!links.allows(url))
        throw Object.assign(new Error(`Not opening ${url}: not a checkout page.`), { code: 'forbidden' });
      await shell.openExternal(url);
    },
    notify: ({ title, body }) => {
      if (Notification.isSupported()) new Notification({ title, body, icon: join(paths.icons, '256x256.png') }).show();
    },
    showWindow: (page) => mainWindow.show(page),
  };
  const settings = new ElectronSettingsStore(new Store({ name: 'settings' }));
  applyLoginItem(settings.read());
  const core = await createClientCore({
    host,
    settings,
    tokens: new SafeTokenStore(join(app.getPath('userData'), 'tokens.json'), safeStorage, (message) =>
      host.notify?.({ title: 'Sign-in not remembered', body: message }),
    ),
    embedded: new EmbeddedBilling({
      launcher: utilityProcessLauncher(utilityProcess),
      entryPath: paths.serviceEntry,
      dataDir: join(app.getPath('userData'), 'billing'),
    }),
    desktop: {
      systemProxy: new SystemProxy({
        adapter: systemProxyAdapter(process.platform, process.env, execFileRunner()),
        journal: new ProxyJournal(join(app.getPath('userData'), 'system-proxy-journal.json')),
        onError: (error) => console.error('system proxy', error),
      }),
      updater: await loadUpdater(
        updateFeed({ packaged: app.isPackaged, resourcesPath: process.resourcesPath, env: process.env }),
      ),
    },
    checkoutHosts,
    version: app.getVersion(),
  });
  mainWindow.onVisibleChange((visible) => core.setWindowVisible(visible));

  core.subscribe((channel, event) => {
    if (channel === 'settings.changed') applyLoginItem(event as Settings);
    if (channel === 'app.infoChanged') links.setServiceUrl((event as { server_url: string }).server_url);
  });
  links.setServiceUrl((await core.handlers['app.state'](undefined)).info.server_url);
  registerIpcMain({
    ipcMain,
    core,
    windowContents: () => (window.isDestroyed() ? null : window.webContents),
    onError: (error) => console.error('IPC handler failed', error),
  });

  const quit = quitSequence(
    core,
    () => {
      mainWindow.allowClose();
      app.quit();
    },
    { onError: (error) => console.error('quit: the core did not stop cleanly', error) },
  );
  const tray = new TrayController(
    core,
    {
      tray: new Tray(nativeImage.createFromPath(join(paths.icons, 'tray-disconnected.png'))),
      buildMenu: (template) => Menu.buildFromTemplate(template),
      icon: (state) => nativeImage.createFromPath(join(paths.icons, `tray-${state}.png`)),
    },
    {
      connect: () => void core.connectLast().catch((error: unknown) => console.error('connect failed', error)),
      disconnect: () => void core.handlers['connection.disconnect'](undefined).catch(() => undefined),
      restart_update: () => {
        try {
          core.restartToUpdate();
        } catch {
          // A session went live since the menu was drawn: the window's update banner says why.
          mainWindow.show();
        }
      },
      buy: () => mainWindow.show('buy'),
      open: () => mainWindow.show(),
      quit: () => void quit(),
    },
  );

  app.on('second-instance', () => mainWindow.show());
  app.on('activate', () => mainWindow.show());
  // The window only ever hides, and the tray keeps the app alive: nothing to do when windows close.
  app.on('window-all-closed', () => undefined);
  app.on('before-quit', (event) => {
    // Cmd+Q, the Dock menu or a system shutdown: end the session properly first.
    if (quit.done) return;
    event.preventDefault();
    void quit();
  });
  app.on('will-quit', () => tray.dispose());

  const startedAtLogin = process.argv.includes(HIDDEN_FLAG) || app.getLoginItemSettings().wasOpenedAtLogin;
  await mainWindow.load(!startedAtLogin);
}

function applyLoginItem(settings: Settings): void {
  if (process.platform !== 'linux')
    return app.setLoginItemSettings({ openAtLogin: settings.start_at_login, args: [HIDDEN_FLAG] });
  // An AppImage runs from a fresh mount each time: autostart must name the AppImage file itself.
  const executable = process.env.APPIMAGE ?? process.execPath;
  const args = app.isPackaged ? [HIDDEN_FLAG] : [app.getAppPath(), HIDDEN_FLAG];
  try {
    applyLinuxAutostart(settings.start_at_login, { configHome: xdgConfigHome(process.env), executable, args });
  } catch (error) {
    // A read-only ~/.config must not stop the app: it just won't start at login.
    console.error('start at login: could not write the autostart entry', error);
  }
}

function fail(error: unknown): void {
  console.error('Atlantic Proxy could not start', error);
  dialog.showErrorBox('Atlantic Proxy could not start', error instanceof Error ? error.message : String(error));
  app.exit(1);
}
