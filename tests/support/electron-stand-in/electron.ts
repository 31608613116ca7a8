// A stand-in for the `electron` module, for booting the built main process in
// plain Node: it records what the app asks of Electron (sent to the test over
// the IPC channel), runs utilityProcess.fork as a real child process, and
// plays the window's calls and the user's Quit when the test asks.
import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type { Recorded, StandInMessage, TestCommand } from './messages.ts';

const send = (message: StandInMessage) => process.send?.(message);
const record = (call: string, ...args: unknown[]) =>
  send({ type: 'record', call, args: plain(args), at: Date.now() } satisfies Recorded);

/** What survives the IPC channel: functions become '[function]'. */
function plain(value: unknown): unknown[] {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'function' ? '[function]' : v)));
}

class Emitter extends EventEmitter {}

const appEvents = new Emitter();
let ready!: () => void;
const whenReady = new Promise<void>((resolve) => (ready = resolve));
let quitting = false;

export const app = {
  isPackaged: false,
  requestSingleInstanceLock: () => (record('app.requestSingleInstanceLock'), true),
  whenReady: () => whenReady,
  on: (event: string, listener: (...args: unknown[]) => void) => (
    record('app.on', event),
    appEvents.on(event, listener)
  ),
  getPath: (name: string) =>
    name === 'userData' ? process.env.STAND_IN_USER_DATA! : join(process.env.STAND_IN_USER_DATA!, name),
  getVersion: () => '0.1.0',
  getName: () => 'Atlantic Proxy',
  getAppPath: () => process.cwd(),
  getLoginItemSettings: () => ({ openAtLogin: false, wasOpenedAtLogin: false }),
  setLoginItemSettings: (settings: unknown) => record('app.setLoginItemSettings', settings),
  /** Electron's quit: before-quit (which may be prevented), then will-quit, then exit. */
  quit() {
    record('app.quit');
    let prevented = false;
    appEvents.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (prevented || quitting) return;
    quitting = true;
    appEvents.emit('will-quit', { preventDefault: () => undefined });
    record('exit');
    setImmediate(() => process.exit(0));
  },
  exit: (code: number) => (record('app.exit', code), process.exit(code)),
};

export const protocol = {
  registerSchemesAsPrivileged: (schemes: unknown) => record('protocol.registerSchemesAsPrivileged', schemes),
  handle: (scheme: string) => record('protocol.handle', scheme),
};

export const session = {
  defaultSession: {
    webRequest: { onHeadersReceived: () => record('session.webRequest.onHeadersReceived') },
    setPermissionRequestHandler: () => record('session.setPermissionRequestHandler'),
    setPermissionCheckHandler: () => record('session.setPermissionCheckHandler'),
  },
};

const handlers = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>();
export const ipcMain = {
  handle: (channel: string, handler: (event: unknown, payload: unknown) => Promise<unknown>) => {
    record('ipcMain.handle', channel);
    handlers.set(channel, handler);
  },
  removeHandler: (channel: string) => handlers.delete(channel),
  on: (channel: string) => record('ipcMain.on', channel),
};

class WebContents extends Emitter {
  send = (channel: string, event: unknown) => record('webContents.send', channel, event);
  setWindowOpenHandler = () => record('webContents.setWindowOpenHandler');
  isDestroyed = () => false;
}

const windows: BrowserWindow[] = [];
export class BrowserWindow extends Emitter {
  readonly webContents = new WebContents();
  #visible = false;

  constructor(options: unknown) {
    super();
    record('new BrowserWindow', options);
    windows.push(this);
  }

  async loadURL(url: string) {
    record('window.loadURL', url);
    // A real window paints and says so.
    setImmediate(() => this.emit('ready-to-show'));
  }

  show = () => {
    record('window.show');
    this.#visible = true;
  };
  hide = () => (this.#visible = false);
  focus = () => undefined;
  restore = () => undefined;
  isVisible = () => this.#visible;
  isMinimized = () => false;
  isDestroyed = () => false;
}

export const Menu = { buildFromTemplate: (template: unknown) => ({ template }) };
export const nativeImage = { createFromPath: (path: string) => ({ path }) };

export class Tray extends Emitter {
  constructor(image: unknown) {
    super();
    record('new Tray', image);
  }
  setImage = (image: unknown) => record('tray.setImage', image);
  setToolTip = (tooltip: string) => record('tray.setToolTip', tooltip);
  setContextMenu = (menu: unknown) => record('tray.setContextMenu', menu);
  destroy = () => record('tray.destroy');
}

export class Notification {
  static isSupported = () => true;
  constructor(private readonly options: unknown) {}
  show = () => record('notification.show', this.options);
}

export const dialog = { showErrorBox: (title: string, body: string) => record('dialog.showErrorBox', title, body) };
export const shell = {
  openExternal: async (url: string) => record('shell.openExternal', url),
  openPath: async () => '',
};

// No keychain here: tokens last until quit, as on a Linux machine without one.
export const safeStorage = {
  isEncryptionAvailable: () => false,
  getSelectedStorageBackend: () => 'basic_text',
  encryptString: (text: string) => Buffer.from(text),
  decryptString: (data: Buffer) => data.toString(),
};

/** Electron's utility process, as a real Node child with its own process channel. */
export const utilityProcess = {
  fork(modulePath: string, args: string[], options: { env?: NodeJS.ProcessEnv; execArgv?: string[] }) {
    const child = fork(modulePath, args, {
      env: options.env,
      execArgv: options.execArgv ?? [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    record('utilityProcess.fork', modulePath, child.pid);
    child.on('exit', (code, signal) => record('utilityProcess.exit', child.pid, code, signal));
    return {
      pid: child.pid,
      postMessage: (message: unknown) => child.connected && child.send(message as object),
      on: (event: string, listener: (...args: unknown[]) => void) => child.on(event, listener),
      kill: () => child.kill('SIGKILL'),
    };
  },
};

// The test drives the app through these: a window's call, or the user's Quit.
process.on('message', (command: TestCommand) => {
  if (command.type === 'quit') return app.quit();
  const contents = windows[0]?.webContents;
  const handler = handlers.get(`atlantic:${command.channel}`);
  const event = { sender: contents, senderFrame: { parent: null, url: 'app://atlantic/index.html' } };
  const answer = handler
    ? handler(event, command.payload)
    : Promise.resolve({ ok: false, error: { code: 'no_handler' } });
  void answer.then((result) => send({ type: 'invoked', id: command.id, result }));
});

setImmediate(() => {
  ready();
  send({ type: 'ready' });
});

export default {
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
};
