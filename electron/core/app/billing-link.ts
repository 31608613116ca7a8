import type { UserView } from '../../../shared/api/auth.ts';
import { BillingClient } from '../billing/billing-client.ts';
import type { TokenStore } from '../client-core-types.ts';
import type { BillingRestart } from '../../../shared/notices.ts';
import { systemTimers, type Timers } from '../timers.ts';
import type { EmbeddedBillingPort } from './embedded-billing-port.ts';
import { EmbeddedRestart } from './embedded-restart.ts';

export type LinkMode = 'embedded' | 'remote';

/**
 * Which billing service the core talks to, and as whom: the embedded one with
 * its local account, or a remote one with the token kept in the token store.
 * Switching replaces the client; the old one is simply dropped.
 */
export class BillingLink {
  readonly #tokens: TokenStore;
  readonly #embedded: EmbeddedBillingPort | undefined;
  readonly #timeoutMs: number | undefined;
  #mode: LinkMode = 'embedded';
  #url = '';
  #token: string | undefined;
  #client: BillingClient | undefined;
  #embeddedRunning = false;
  #restart: EmbeddedRestart | undefined;
  readonly #timers: Timers;
  readonly #onRestart: (restart: BillingRestart) => void;
  account: UserView | null = null;

  constructor(options: {
    tokens: TokenStore;
    embedded?: EmbeddedBillingPort | undefined;
    timeoutMs?: number;
    timers?: Timers;
    /** Told when the embedded service stopped unexpectedly and of each step of bringing it back. */
    onRestart?: (restart: BillingRestart) => void;
  }) {
    this.#tokens = options.tokens;
    this.#embedded = options.embedded;
    this.#timeoutMs = options.timeoutMs;
    this.#timers = options.timers ?? systemTimers;
    this.#onRestart = options.onRestart ?? (() => undefined);
  }

  get mode(): LinkMode {
    return this.#mode;
  }

  get url(): string {
    return this.#url;
  }

  get signedIn(): boolean {
    return this.#token !== undefined;
  }

  /** The client of the moment; undefined before the first service is reached. */
  get client(): BillingClient | undefined {
    return this.#client;
  }

  get embedded(): EmbeddedBillingPort | undefined {
    return this.#embeddedRunning ? this.#embedded : undefined;
  }

  /** Starts the billing service on this machine and signs in as its one local account. */
  async useEmbedded(): Promise<void> {
    if (!this.#embedded) throw new Error('this app was built without embedded billing');
    if (this.#embeddedRunning) return;
    const { url, token } = await this.#embedded.start();
    this.#embeddedRunning = true;
    this.#attach('embedded', url, token);
    this.#restart = new EmbeddedRestart({
      embedded: this.#embedded,
      timers: this.#timers,
      restarted: (endpoint) => this.#reattach(endpoint),
      changed: this.#onRestart,
    });
    await this.#loadAccount();
  }

  /** Points at a remote service with the token stored for it (signed out when there is none). */
  async useRemote(url: string): Promise<void> {
    await this.stopEmbedded();
    this.#attach('remote', url, this.#tokens.read(url));
    await this.#loadAccount();
  }

  /** Signs in (or registers) at a remote service; nothing changes when it refuses. */
  async signIn(url: string, credentials: { email: string; password: string }, register: boolean): Promise<void> {
    const anonymous = this.#newClient(url, () => undefined);
    const { user, token } = register ? await anonymous.register(credentials) : await anonymous.login(credentials);
    await this.stopEmbedded();
    this.#tokens.write(url, token);
    this.#attach('remote', url, token);
    this.account = user;
  }

  /** Revokes the token at the service (best effort: offline still signs out here) and forgets it. */
  async signOut(): Promise<void> {
    if (this.#mode !== 'remote' || !this.#token) return;
    await this.#client?.logout().catch(() => undefined);
    this.#tokens.write(this.#url, undefined);
    this.#token = undefined;
    this.account = null;
  }

  async stopEmbedded(): Promise<void> {
    if (!this.#embeddedRunning) return;
    this.#embeddedRunning = false;
    this.#restart?.dispose();
    this.#restart = undefined;
    await this.#embedded?.stop();
  }

  /**
   * The restarted embedded service: on its old address (the usual case) only the
   * token is new, so the client every part of the core holds keeps working.
   */
  #reattach(endpoint: { url: string; token: string }): void {
    if (this.#mode !== 'embedded') return;
    if (endpoint.url === this.#url) this.#token = endpoint.token;
    else this.#attach('embedded', endpoint.url, endpoint.token);
  }

  #attach(mode: LinkMode, url: string, token: string | undefined): void {
    this.#mode = mode;
    this.#url = url;
    this.#token = token;
    this.account = null;
    this.#client = this.#newClient(url, () => this.#token);
  }

  #newClient(baseUrl: string, token: () => string | undefined): BillingClient {
    return new BillingClient({ baseUrl, token, ...(this.#timeoutMs ? { timeoutMs: this.#timeoutMs } : {}) });
  }

  async #loadAccount(): Promise<void> {
    if (!this.#token) return;
    // Offline at start-up is no reason to fail: the account shows up with the next answer.
    this.account = await this.#client!.me().catch(() => null);
  }
}
