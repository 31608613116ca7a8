import type { PaymentView } from '../../shared/api/credits.ts';
import type { Credentials } from '../../shared/api/auth.ts';
import type { ConnectRequest } from '../../shared/api/proxy.ts';
import { systemClock, type Clock } from '../../shared/clock.ts';
import type { EventOf, IpcEmit, NotifyChannel } from '../../shared/ipc/bridge.ts';
import type { AppInfo, ConnectionView, DesktopStatus, Settings, SettingsUpdate } from '../../shared/ipc/views.ts';
import { isLiveConnection } from '../../shared/ipc/views.ts';
import { appInfo } from './app/app-info.ts';
import { BillingLink } from './app/billing-link.ts';
import { openCheckout } from './app/checkout-allow-list.ts';
import { autoConnect, checkUnlocked, connectLast, reconnect, type FlowCore } from './app/connect-flows.ts';
import { connectionView } from './app/connection-view.ts';
import { coreHandlers } from './app/core-handlers.ts';
import { CoreError } from './app/core-error.ts';
import { DesktopIntegration, type DesktopIntegrationOptions } from './app/desktop-integration.ts';
import type { EmbeddedBillingPort } from './app/embedded-billing-port.ts';
import { openLocalProxy, type LocalProxySlot } from './app/local-proxy-slot.ts';
import { PaymentWatcher } from './app/payment-watcher.ts';
import { advanceTestClock } from './app/test-clock.ts';
import type { BillingClient } from './billing/billing-client.ts';
import type { ClientCore, CoreHost, SettingsStore, TokenStore, TrayModel } from './client-core-types.ts';
import type { SessionApi } from './connection/connection-manager.ts';
import { checkPortFree } from './local-proxy/port-check.ts';
import { AutoTopupWatch } from './notices/auto-topup-watch.ts';
import { NoticeWatcher } from './notices/notice-watcher.ts';
import { systemTimers, type Timers } from './timers.ts';
import { trayModel } from './tray/tray-model.ts';
import { WalletSync } from './wallet/wallet-sync.ts';

export interface ClientCoreOptions {
  host: CoreHost;
  settings: SettingsStore;
  tokens: TokenStore;
  /** The billing service on this machine, used while no server URL is set. */
  embedded?: EmbeddedBillingPort;
  /**
   * The desktop app's system proxy (followed while connected) and updater (absent or
   * null: updates off, as without a feed or in the headless host).
   */
  desktop?: Pick<DesktopIntegrationOptions, 'systemProxy' | 'updater' | 'updateIntervalMs'>;
  /** Only for end-to-end tests: expose `testClock` when the embedded service runs with its test clock. */
  testClock?: boolean;
  /** More https checkout hosts to open, e.g. the operator's BTCPay Server. */
  checkoutHosts?: readonly string[];
  version?: string;
  timers?: Timers;
  clock?: Clock;
  wallet?: { visibleIntervalMs?: number; trayIntervalMs?: number };
  paymentPollMs?: number;
  heartbeatIntervalMs?: number;
  billingTimeoutMs?: number;
}

/**
 * The client core both shells run: billing link (embedded or remote), the
 * connection manager with its local proxy, wallet sync, notices, tray model
 * and settings, behind the IPC contract's handlers and events.
 */
export async function createClientCore(options: ClientCoreOptions): Promise<ClientCore> {
  const core = new Core(options);
  await core.start();
  return core;
}

export class Core implements ClientCore, FlowCore {
  readonly handlers = coreHandlers(this);
  readonly testClock: ClientCore['testClock'];
  readonly #options: ClientCoreOptions;
  readonly #link: BillingLink;
  readonly #wallet: WalletSync;
  readonly #notices: NoticeWatcher;
  readonly #payments: PaymentWatcher;
  readonly #desktop: DesktopIntegration;
  readonly #emitters = new Set<IpcEmit>();
  readonly #trayListeners = new Set<(model: TrayModel) => void>();
  #settings: Settings;
  #proxy!: LocalProxySlot;
  #lastTray = '';
  #quitting: Promise<void> | undefined;
  #reconnecting = false;
  /** Settles once auto-connect at start has connected, failed or had nothing to do. */
  autoConnected: Promise<void> = Promise.resolve();

  constructor(options: ClientCoreOptions) {
    this.#options = options;
    this.#settings = options.settings.read();
    const timers = options.timers ?? systemTimers;
    this.#link = new BillingLink({
      tokens: options.tokens,
      embedded: options.embedded,
      timers,
      onRestart: (restart) => this.#notices.billingRestart(restart),
      ...(options.billingTimeoutMs ? { timeoutMs: options.billingTimeoutMs } : {}),
    });
    this.#wallet = new WalletSync({
      billing: () => (this.#link.signedIn ? this.#link.client : undefined),
      timers,
      clock: options.clock ?? systemClock,
      ...options.wallet,
    });
    this.#notices = new NoticeWatcher({
      emit: (notice) => this.#emit('app.notice', notice),
      notify: options.host.notify?.bind(options.host),
      notificationsEnabled: () => this.#settings.notifications,
    });
    this.#payments = new PaymentWatcher({
      payment: (id) => this.billing().payment(id),
      onChange: (payment) => this.#paymentChanged(payment),
      timers,
      ...(options.paymentPollMs ? { intervalMs: options.paymentPollMs } : {}),
    });
    const autoTopup = new AutoTopupWatch({
      fetch: () => this.billing().autoTopup(),
      turnedOff: (reason) => this.#notices.autoTopupOff(reason),
      now: () => (options.clock ?? systemClock).now(),
    });
    this.#wallet.subscribe((snapshot) => {
      this.#emit('wallet.changed', snapshot);
      this.#notices.onWallet(snapshot);
      if (!snapshot.offline) autoTopup.onWallet();
      this.#updateTray();
    });
    this.#desktop = new DesktopIntegration({
      ...options.desktop,
      timers,
      isLive: () => this.isLive(),
      onChange: () => {
        this.#emit('desktop.changed', this.desktop());
        // The journal's restore at start comes before the local proxy, and so before any tray.
        if (this.#proxy as LocalProxySlot | undefined) this.#updateTray();
      },
    });
    this.testClock = options.testClock
      ? { advance: (ms) => advanceTestClock(this.#link.embedded, this.#proxy.client.manager, this.#wallet, ms) }
      : undefined;
  }

  async start(): Promise<void> {
    await this.#desktop.recover();
    await this.#openProxy(this.#settings.local_proxy_port);
    try {
      if (this.#settings.server_url === null) await this.#link.useEmbedded();
      else await this.#link.useRemote(this.#settings.server_url);
    } catch (error) {
      // Nothing may stay open when the core cannot start: the shell reports the error and exits.
      await this.#proxy.client.close();
      throw error;
    }
    void this.#wallet.start();
    this.#desktop.startUpdates();
    this.autoConnected = autoConnect(this, (message) => this.#notices.autoConnectFailed(message));
  }

  // ---- what the handlers and shells call ----

  get settings(): Settings {
    return this.#settings;
  }

  get wallet(): WalletSync {
    return this.#wallet;
  }

  /** The billing client, signed in; refuses with `not_signed_in` otherwise. */
  billing(): BillingClient {
    const client = this.#link.client;
    if (!client || !this.#link.signedIn)
      throw new CoreError('not_signed_in', 'Sign in to your Atlantic account first.');
    return client;
  }

  signedIn(): boolean {
    return this.#link.signedIn;
  }

  /** A session connecting, connected or disconnecting: one the service is charging for. */
  isLive(): boolean {
    return isLiveConnection(this.#proxy.client.manager.state);
  }

  info(): AppInfo {
    return appInfo(this.#link, this.#proxy, this.#options.version);
  }

  desktop(): DesktopStatus {
    return this.#desktop.status();
  }

  connection(): ConnectionView {
    return connectionView(this.#proxy.client.manager.state);
  }

  async connect(request: ConnectRequest): Promise<ConnectionView> {
    const { session_mode: _mode, sticky_minutes: _minutes, ...targeting } = request;
    this.billing();
    const manager = this.#proxy.client.manager;
    if (isLiveConnection(manager.state))
      throw new CoreError('already_connected', 'Disconnect before connecting again.');
    checkUnlocked(targeting, this.#wallet.snapshot);
    const state = await manager.connect(request);
    void this.#wallet.refreshNow();
    if (state.status === 'disconnected' && state.problem)
      throw new CoreError(state.problem.code, state.problem.message);
    this.#saveSettings({ ...this.#settings, last_location: targeting });
    return connectionView(state);
  }

  async disconnect(): Promise<ConnectionView> {
    const state = await this.#proxy.client.manager.disconnect();
    void this.#wallet.refreshNow();
    return connectionView(state);
  }

  async updateSettings(update: SettingsUpdate): Promise<Settings> {
    const next = { ...this.#settings, ...update };
    if (next.local_proxy_port !== this.#settings.local_proxy_port) {
      if (this.isLive()) throw new CoreError('disconnect_first', 'Disconnect before changing the local proxy port.');
      // Refused now, with the reason, rather than saved and quietly replaced by a fallback port.
      await checkPortFree(next.local_proxy_port); // its LocalProxyError's code reaches the window as is
      await this.#proxy.client.close();
      await this.#openProxy(next.local_proxy_port);
      this.#emit('app.infoChanged', this.info());
    }
    this.#saveSettings(next);
    return next;
  }

  async purchase(request: { package_id: string; method?: string | undefined }): Promise<PaymentView> {
    const payment = await this.billing().purchase(request);
    if (payment.checkout_url) {
      const allow = { billingOrigin: this.#link.url, extraHosts: this.#options.checkoutHosts ?? [] };
      await openCheckout(payment.checkout_url, allow, (url) => this.#options.host.openExternal(url));
    }
    this.#payments.watch(payment);
    return payment;
  }

  async signIn(request: Credentials & { server_url: string; register?: boolean | undefined }): Promise<AppInfo> {
    const url = new URL(request.server_url).origin;
    await this.#endSession();
    await this.#link.signIn(url, { email: request.email, password: request.password }, request.register ?? false);
    return this.#accountSwitched(url);
  }

  async signOut(): Promise<AppInfo> {
    if (this.#link.mode === 'embedded') {
      throw new CoreError(
        'embedded_mode',
        'The billing service on this computer has one local account; there is nothing to sign out of.',
      );
    }
    await this.#endSession('signed_out');
    await this.#link.signOut();
    return this.#accountSwitched(this.#link.url);
  }

  async useEmbedded(): Promise<AppInfo> {
    if (this.#link.mode === 'embedded' && this.#link.embedded) return this.info();
    await this.#endSession();
    await this.#link.useEmbedded();
    return this.#accountSwitched(null);
  }

  // ---- ClientCore ----

  subscribe(emit: IpcEmit): () => void {
    this.#emitters.add(emit);
    return () => this.#emitters.delete(emit);
  }

  trayModel(): TrayModel {
    return trayModel({
      connection: this.connection(),
      wallet: this.#wallet.snapshot,
      lastLocation: this.#settings.last_location,
      update: this.#desktop.status().update,
    });
  }

  onTrayModel(listener: (model: TrayModel) => void): () => void {
    this.#trayListeners.add(listener);
    return () => this.#trayListeners.delete(listener);
  }

  connectLast(): Promise<void> {
    return connectLast(this, this.#options.host.showWindow?.bind(this.#options.host));
  }

  async reconnect(request: ConnectRequest): Promise<ConnectionView> {
    // The system proxy stays on the local proxy between the two sessions: apps wait a moment, never go direct.
    this.#reconnecting = true;
    try {
      return await reconnect(this, request);
    } finally {
      this.#reconnecting = false;
      this.#syncSystemProxy();
    }
  }

  restartToUpdate(): void {
    this.#desktop.restartToUpdate();
  }

  setWindowVisible(visible: boolean): void {
    this.#wallet.setVisible(visible);
  }

  quit(): Promise<void> {
    return (this.#quitting ??= (async () => {
      this.#payments.stop();
      this.#wallet.stop();
      // The service charges the partial minute up to now; an unreachable one stops at the last heartbeat.
      if (this.isLive()) await this.#proxy.client.manager.disconnect();
      await this.#desktop.stop();
      await this.#proxy.client.close();
      await this.#link.stopEmbedded();
      this.#emitters.clear();
      this.#trayListeners.clear();
    })());
  }

  // ---- inside ----

  #emit<C extends NotifyChannel>(channel: C, event: EventOf<C>): void {
    for (const emit of this.#emitters) emit(channel, event);
  }

  async #openProxy(port: number): Promise<void> {
    // The manager always reaches the billing service of the moment, so an account switch keeps it.
    const sessions: SessionApi = {
      connect: (targeting) => this.billing().connect(targeting),
      heartbeat: (id) => this.billing().heartbeat(id),
      disconnect: (id) => this.billing().disconnect(id),
    };
    this.#proxy = await openLocalProxy({
      billing: sessions,
      port,
      timers: this.#options.timers,
      heartbeatIntervalMs: this.#options.heartbeatIntervalMs,
    });
    let previous = this.#proxy.client.manager.state.status;
    this.#proxy.client.manager.subscribe((state) => {
      const view = connectionView(state);
      this.#emit('connection.changed', view);
      this.#syncSystemProxy();
      this.#notices.onConnection(view);
      this.#updateTray();
      // Connected, disconnected or ended: the balance and the live session just changed.
      if (state.status !== previous && !isLiveConnection(state)) void this.#wallet.refreshNow();
      if (state.status === 'connected' && previous !== 'connected') void this.#wallet.refreshNow();
      previous = state.status;
    });
  }

  /** Ends a live session before the account changes under it; a sign-out says so in a notice. */
  async #endSession(noticeReason?: string): Promise<void> {
    if (!this.isLive()) return;
    await this.#proxy.client.manager.disconnect();
    if (noticeReason) this.#notices.sessionEnded(noticeReason);
  }

  #accountSwitched(serverUrl: string | null): AppInfo {
    this.#saveSettings({ ...this.#settings, server_url: serverUrl });
    this.#wallet.reset();
    void this.#wallet.refreshNow();
    const info = this.info();
    this.#emit('app.infoChanged', info);
    return info;
  }

  #saveSettings(next: Settings): void {
    const changed = JSON.stringify(next) !== JSON.stringify(this.#settings);
    this.#settings = next;
    if (!changed) return;
    this.#options.settings.write(next);
    this.#emit('settings.changed', next);
    this.#syncSystemProxy();
    this.#updateTray();
  }

  #syncSystemProxy(): void {
    if (this.#reconnecting) return;
    void this.#desktop.follow(this.connection(), this.#settings, this.#proxy.client.port);
  }

  #paymentChanged(payment: PaymentView): void {
    if (payment.status === 'pending') return this.#emit('credits.paymentChanged', payment);
    // The new balance goes out first, so the window never says "paid" beside the old balance.
    const tell = () => this.#emit('credits.paymentChanged', payment);
    void this.#wallet.refreshNow().then(tell, tell);
  }

  #updateTray(): void {
    const model = this.trayModel();
    const text = JSON.stringify(model);
    if (text === this.#lastTray) return;
    this.#lastTray = text;
    for (const listener of this.#trayListeners) listener(model);
  }
}
