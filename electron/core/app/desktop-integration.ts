import type { ConnectionView, DesktopStatus, Settings, SystemProxyStatus } from '../../../shared/ipc/views.ts';
import { LOCAL_PROXY_HOST } from '../local-proxy/local-proxy.ts';
import type { ProxyAddress } from '../system-proxy/proxy-values.ts';
import type { SystemProxy } from '../system-proxy/system-proxy.ts';
import type { Timers } from '../timers.ts';
import { UpdateFlow } from '../update/update-flow.ts';
import type { Updater } from '../update/updater.ts';

/** A shell without a system proxy (the headless host): the Settings page says so. */
export const NO_SYSTEM_PROXY: SystemProxyStatus = {
  state: 'unsupported',
  desktop: null,
  message: 'Only the desktop app sets the system proxy.',
};

/**
 * Where the system proxy should point now: the local proxy while the setting
 * is on and a session is live (a session reconnecting after a network loss
 * still is), nowhere otherwise.
 */
export function systemProxyTarget(connection: ConnectionView, settings: Settings, port: number): ProxyAddress | null {
  if (!settings.system_proxy) return null;
  const live = connection.status === 'connected' || (connection.status === 'connecting' && connection.reconnecting);
  return live ? { host: LOCAL_PROXY_HOST, port } : null;
}

export interface DesktopIntegrationOptions {
  systemProxy?: SystemProxy | undefined;
  updater?: Updater | null | undefined;
  updateIntervalMs?: number | undefined;
  timers: Timers;
  isLive: () => boolean;
  /** The status changed: the core tells the window and redraws the tray. */
  onChange: () => void;
}

/** The app's place on the computer: the system proxy following the connection, and updates. */
export class DesktopIntegration {
  readonly #systemProxy: SystemProxy | undefined;
  readonly #updates: UpdateFlow;

  constructor(options: DesktopIntegrationOptions) {
    this.#systemProxy = options.systemProxy;
    this.#systemProxy?.onStatus(options.onChange);
    this.#updates = new UpdateFlow({
      updater: options.updater ?? null,
      isLive: options.isLive,
      onStatus: options.onChange,
      timers: options.timers,
      ...(options.updateIntervalMs ? { intervalMs: options.updateIntervalMs } : {}),
    });
  }

  status(): DesktopStatus {
    return { system_proxy: this.#systemProxy?.status ?? NO_SYSTEM_PROXY, update: this.#updates.status };
  }

  /** First thing at start: settings left pointing at a proxy that no longer runs break the user's whole network. */
  async recover(): Promise<void> {
    await this.#systemProxy?.recover();
  }

  startUpdates(): void {
    void this.#updates.start();
  }

  /** Points the system proxy where the connection and settings say; resolves once it is done. */
  follow(connection: ConnectionView, settings: Settings, port: number): Promise<void> {
    return this.#systemProxy?.sync(systemProxyTarget(connection, settings, port)) ?? Promise.resolve();
  }

  restartToUpdate(): void {
    this.#updates.restart();
  }

  /** At quit: no more update checks, and the system proxy put back. */
  async stop(): Promise<void> {
    this.#updates.stop();
    await this.#systemProxy?.sync(null);
  }
}
