import type { PaymentView } from '../../shared/api/credits.ts';
import type { Credentials } from '../../shared/api/auth.ts';
import { systemClock, type Clock } from '../../shared/clock.ts';
import type { EventOf, IpcEmit, NotifyChannel } from '../../shared/ipc/bridge.ts';
import type { AppInfo, ConnectionView, Settings, SettingsUpdate } from '../../shared/ipc/views.ts';
import type { Targeting } from '../../shared/targeting.ts';
import { BillingLink } from './app/billing-link.ts';
import { isAllowedCheckout } from './app/checkout-allow-list.ts';
import { connectionView } from './app/connection-view.ts';
import { coreHandlers } from './app/core-handlers.ts';
import { CoreError } from './app/core-error.ts';
import type { EmbeddedBillingPort } from './app/embedded-billing-port.ts';
import { openLocalProxy, type LocalProxySlot } from './app/local-proxy-slot.ts';
import { PaymentWatcher } from './app/payment-watcher.ts';
import { advanceTestClock } from './app/test-clock.ts';
import type { BillingClient } from './billing/billing-client.ts';
import type { ClientCore, CoreHost, SettingsStore, TokenStore, TrayModel } from './client-core-types.ts';
import type { SessionApi } from './connection/connection-manager.ts';
import { LOCAL_PROXY_HOST } from './local-proxy/local-proxy.ts';
import { checkPortFree } from './local-proxy/port-check.ts';
import { NoticeWatcher } from './notices/notice-watcher.ts';
import { systemTimers, type Timers } from './timers.ts';
import { isChoiceUnlocked, rateOfChoice } from './tray/location-label.ts';
import { money, perHour } from '../../shared/display.ts';
import { trayModel } from './tray/tray-model.ts';
import { WalletSync } from './wallet/wallet-sync.ts';

export interface ClientCoreOptions {
  host: CoreHost;
  settings: SettingsStore;
  tokens: TokenStore;
  /** The billing service on this machine, used while no server URL is set. */
  embedded?: EmbeddedBillingPort;
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

const LIVE = new Set(['connecting', 'connected', 'disconnecting']);

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

export class Core implements ClientCore {
  readonly handlers = coreHandlers(this);
  readonly testClock: ClientCore['testClock'];
  readonly #options: ClientCoreOptions;
  readonly #link: BillingLink;
  readonly #wallet: WalletSync;
  readonly #notices: NoticeWatcher;
  readonly #payments: PaymentWatcher;
  readonly #emitters = new Set<IpcEmit>();
  readonly #trayListeners = new Set<(model: TrayModel) => void>();
  #settings: Settings;
  #proxy!: LocalProxySlot;
  #lastTray = '';
  #quitting: Promise<void> | undefined;

  constructor(options: ClientCoreOptions) {
    this.#options = options;
    this.#settings = options.settings.read();
    this.#link = new BillingLink({
      tokens: options.tokens,
      embedded: options.embedded,
      ...(options.billingTimeoutMs ? { timeoutMs: options.billingTimeoutMs } : {}),
    });
    const timers = options.timers ?? systemTimers;
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
    this.#wallet.subscribe((snapshot) => {
      this.#emit('wallet.changed', snapshot);
      this.#notices.onWallet(snapshot);
      this.#updateTray();
    });
    this.testClock = options.testClock
      ? { advance: (ms) => advanceTestClock(this.#link.embedded, this.#proxy.client.manager, this.#wallet, ms) }
      : undefined;
  }

  async start(): Promise<void> {
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

  info(): AppInfo {
    const port = this.#proxy.client.port;
    return {
      mode: this.#link.mode,
      server_url: this.#link.url,
      signed_in: this.#link.signedIn,
      account: this.#link.account,
      local_proxy: {
        host: LOCAL_PROXY_HOST,
        port,
        http_url: `http://${LOCAL_PROXY_HOST}:${port}`,
        socks_url: `socks5://${LOCAL_PROXY_HOST}:${port}`,
        problem: this.#proxy.problem,
      },
      version: this.#options.version ?? '0.0.0-dev',
    };
  }

  connection(): ConnectionView {
    return connectionView(this.#proxy.client.manager.state);
  }

  async connect(targeting: Targeting): Promise<ConnectionView> {
    this.billing();
    const manager = this.#proxy.client.manager;
    if (LIVE.has(manager.state.status)) throw new CoreError('already_connected', 'Disconnect before connecting again.');
    const wallet = this.#wallet.snapshot;
    // The service refuses too; saying so here spares a round trip and reads the same.
    if (!wallet.offline && !isChoiceUnlocked(targeting, wallet)) {
      const rate = rateOfChoice(targeting, wallet);
      const balance = wallet.balance?.balance_micro ?? 0;
      throw new CoreError(
        'insufficient_credits',
        rate === null
          ? 'Your balance does not cover an hour at this location. Add credits first.'
          : `Connecting at ${perHour(rate)} needs one hour of credit; you have ${money(balance)}. Add credits first.`,
      );
    }
    const state = await manager.connect(targeting);
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
      if (this.#isLive()) throw new CoreError('disconnect_first', 'Disconnect before changing the local proxy port.');
      // Refused now, with the reason, rather than saved and quietly replaced by a fallback port.
      await checkPortFree(next.local_proxy_port).catch((error: { code: string; message: string }) => {
        throw new CoreError(error.code, error.message);
      });
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
      if (!isAllowedCheckout(payment.checkout_url, allow)) {
        throw new CoreError(
          'checkout_not_allowed',
          'The checkout page is not on an allowed payment host; it was not opened.',
        );
      }
      await this.#options.host.openExternal(payment.checkout_url);
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
    });
  }

  onTrayModel(listener: (model: TrayModel) => void): () => void {
    this.#trayListeners.add(listener);
    return () => this.#trayListeners.delete(listener);
  }

  async connectLast(): Promise<void> {
    const last = this.#settings.last_location;
    if (!last) return this.#options.host.showWindow?.('locations');
    try {
      await this.connect(last);
    } catch (error) {
      // The tray has no room for an explanation: the window does.
      const code = (error as { code?: string }).code;
      this.#options.host.showWindow?.(code === 'insufficient_credits' ? 'buy' : 'locations');
    }
  }

  setWindowVisible(visible: boolean): void {
    this.#wallet.setVisible(visible);
  }

  quit(): Promise<void> {
    return (this.#quitting ??= (async () => {
      this.#payments.stop();
      this.#wallet.stop();
      // The service charges the partial minute up to now; an unreachable one stops at the last heartbeat.
      if (this.#isLive()) await this.#proxy.client.manager.disconnect();
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

  #isLive(): boolean {
    const { status } = this.#proxy.client.manager.state;
    return LIVE.has(status);
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
      this.#notices.onConnection(view);
      this.#updateTray();
      // Connected, disconnected or ended: the balance and the live session just changed.
      if (state.status !== previous && !LIVE.has(state.status)) void this.#wallet.refreshNow();
      if (state.status === 'connected' && previous !== 'connected') void this.#wallet.refreshNow();
      previous = state.status;
    });
  }

  /** Ends a live session before the account changes under it; a sign-out says so in a notice. */
  async #endSession(noticeReason?: string): Promise<void> {
    if (!this.#isLive()) return;
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
    this.#updateTray();
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
