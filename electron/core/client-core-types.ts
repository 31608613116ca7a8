import type { IpcEmit, IpcHandlers } from '../../shared/ipc/bridge.ts';
import type { Settings } from '../../shared/ipc/views.ts';
import type { Targeting } from '../../shared/targeting.ts';

/** One entry of the tray menu, as data: the Electron shell turns it into a Menu. */
export interface TrayMenuItem {
  id: 'status' | 'connect' | 'disconnect' | 'balance' | 'restart_update' | 'buy' | 'open' | 'quit' | 'separator';
  label: string;
  enabled: boolean;
}

/** What the tray shows, derived from the core's state alone. */
export interface TrayModel {
  icon: 'disconnected' | 'connecting' | 'connected';
  tooltip: string;
  menu: TrayMenuItem[];
}

/** Where the settings live: electron-store in the app, a JSON file in the headless host and tests. */
export interface SettingsStore {
  read(): Settings;
  write(settings: Settings): void;
}

/** Where the bearer token lives: `safeStorage`-encrypted in the app, a 0600 file in the headless host. */
export interface TokenStore {
  read(serverUrl: string): string | undefined;
  write(serverUrl: string, token: string | undefined): void;
}

/** The system side effects the core asks for; the shell (Electron or headless) decides how. */
export interface CoreHost {
  /** Opens a checkout page in the system browser; the core has already checked the host is allow-listed. */
  openExternal(url: string): Promise<void>;
  /** Shows a system notification (the core has already applied the user's notification setting). */
  notify?(notice: { title: string; body: string }): void;
  /** Brings the main window forward, e.g. for "Buy credits…" in the tray. */
  showWindow?(page?: 'wallet' | 'buy' | 'locations' | 'activity' | 'settings'): void;
}

/**
 * The client core as the shells see it: the IPC handlers of the shared
 * contract, the events it emits, the tray model, and a clean quit.
 */
export interface ClientCore {
  readonly handlers: IpcHandlers;
  /** Receives every event of the contract (wallet.changed, connection.changed, app.notice, …). */
  subscribe(emit: IpcEmit): () => void;
  trayModel(): TrayModel;
  onTrayModel(listener: (model: TrayModel) => void): () => void;
  /** Tray menu actions. */
  connectLast(): Promise<void>;
  /** Quits and installs a downloaded update; throws `session_live` while a session is live. */
  restartToUpdate(): void;
  /** Wallet sync polls every 5 s while a window shows it, every 30 s in the tray. */
  setWindowVisible(visible: boolean): void;
  /** Disconnects (the service charges the partial minute), stops polling, closes the local proxy and any embedded service. */
  quit(): Promise<void>;
  /**
   * End-to-end tests only (the headless host's --test-clock): moves the embedded
   * service's test clock, heartbeating and metering as time passes. Absent otherwise.
   */
  readonly testClock?: { advance(ms: number): Promise<void> } | undefined;
}

export type { Targeting };
