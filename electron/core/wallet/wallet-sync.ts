import type { BalanceResponse, FeaturesResponse, TransactionsResponse } from '../../../shared/api/credits.ts';
import type { SessionView } from '../../../shared/api/proxy.ts';
import { systemClock, type Clock } from '../../../shared/clock.ts';
import type { Problem, WalletSnapshot } from '../../../shared/ipc/views.ts';
import type { WalletEvent } from '../../../shared/api/wallet-stream.ts';
import { isBillingError } from '../billing/billing-error.ts';
import type { WalletStreamHandle } from '../billing/wallet-stream.ts';
import { systemTimers, type Timers } from '../timers.ts';

/** The part of the billing client a wallet snapshot is made from (BillingClient is one). */
export interface WalletApi {
  balance(): Promise<BalanceResponse>;
  features(): Promise<FeaturesResponse>;
  sessions(query: { status?: 'active' | 'ended'; limit?: number }): Promise<SessionView[]>;
  transactions(query: { limit?: number }): Promise<TransactionsResponse>;
  /** Push, when the service offers it: each change as it happens. */
  walletStream?(onEvent: (event: WalletEvent) => void, onEnd: (reason: string) => void): WalletStreamHandle;
}

export interface WalletSyncOptions {
  /** The billing service of the moment (it changes on sign-in); undefined while there is none. */
  billing: () => WalletApi | undefined;
  timers?: Timers;
  clock?: Clock;
  visibleIntervalMs?: number;
  trayIntervalMs?: number;
  /** The poll while the stream is up: only a safety net for a lost event. */
  streamFallbackMs?: number;
  /** First wait before reopening a stream that ended, doubled up to 30 s. */
  streamRetryMs?: number;
  recentTransactions?: number;
}

export const EMPTY_WALLET: WalletSnapshot = {
  balance: null,
  features: null,
  active_session: null,
  recent_transactions: [],
  fetched_at: null,
  offline: false,
  problem: null,
};

// Everything but the fetch time: a poll that learned nothing new is not a change.
const contentOf = ({ fetched_at: _fetchedAt, ...rest }: WalletSnapshot) => JSON.stringify(rest);

function problemOf(error: unknown): Problem {
  if (isBillingError(error)) return { code: error.code, message: error.message };
  return { code: 'internal_error', message: error instanceof Error ? error.message : String(error) };
}

/**
 * Keeps a wallet snapshot fresh. The service pushes every change over its
 * wallet stream; while that is up a poll runs only once a minute as a safety
 * net. Without it (an older service, or the stream dropped and is being
 * reopened) it polls every 5 s while the window shows it, every 30 s when only
 * the tray does. And at once when asked (after a purchase, connect or disconnect). Listeners hear each change, never a repeat. A failed
 * refresh keeps the last snapshot, marked offline with its problem, so the UI
 * shows what it knew and how old that is.
 */
export class WalletSync {
  readonly #billing: () => WalletApi | undefined;
  readonly #timers: Timers;
  readonly #clock: Clock;
  readonly #visibleMs: number;
  readonly #trayMs: number;
  readonly #recent: number;
  readonly #fallbackMs: number;
  readonly #retryMs: number;
  #stream: WalletStreamHandle | undefined;
  #streamUp = false;
  #streamFailures = 0;
  #streamTimer: unknown;
  /** Counts pushed events, so a poll that started before one never puts older numbers back. */
  #events = 0;
  readonly #listeners = new Set<(snapshot: WalletSnapshot) => void>();
  #snapshot: WalletSnapshot = EMPTY_WALLET;
  #visible = false;
  #running = false;
  #timer: unknown;
  #lastAttemptAt = 0;
  #inFlight: Promise<WalletSnapshot> | undefined;
  #again: Promise<WalletSnapshot> | undefined;
  // Bumped by reset(): an answer about the previous account is dropped.
  #generation = 0;

  constructor(options: WalletSyncOptions) {
    this.#billing = options.billing;
    this.#timers = options.timers ?? systemTimers;
    this.#clock = options.clock ?? systemClock;
    this.#visibleMs = options.visibleIntervalMs ?? 5_000;
    this.#trayMs = options.trayIntervalMs ?? 30_000;
    this.#recent = options.recentTransactions ?? 10;
    this.#fallbackMs = options.streamFallbackMs ?? 60_000;
    this.#retryMs = options.streamRetryMs ?? 1_000;
  }

  get snapshot(): WalletSnapshot {
    return this.#snapshot;
  }

  get intervalMs(): number {
    if (this.#streamUp) return Math.max(this.#fallbackMs, this.#visible ? this.#visibleMs : this.#trayMs);
    return this.#visible ? this.#visibleMs : this.#trayMs;
  }

  /** Whether changes are arriving by push right now. */
  get streaming(): boolean {
    return this.#streamUp;
  }

  subscribe(listener: (snapshot: WalletSnapshot) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Starts polling with a refresh now. */
  start(): Promise<WalletSnapshot> {
    this.#running = true;
    this.#openStream();
    return this.refreshNow();
  }

  stop(): void {
    this.#running = false;
    this.#timers.clearTimeout(this.#timer);
    this.#closeStream();
  }

  /** Window shown or hidden: the next poll moves to the new interval, counted from the last one. */
  setVisible(visible: boolean): void {
    if (visible === this.#visible) return;
    this.#visible = visible;
    if (this.#running && !this.#inFlight) this.#schedule();
  }

  /** Forgets the last account's wallet (sign-out, another service) and tells listeners. */
  reset(): void {
    this.#generation += 1;
    this.#inFlight = undefined;
    this.#again = undefined;
    this.#set(EMPTY_WALLET);
    this.#closeStream();
    this.#streamFailures = 0;
    if (this.#running) {
      this.#openStream();
      this.#schedule();
    }
  }

  /**
   * Refreshes now. A call while a refresh is under way waits for it and then
   * refreshes once more, since the change it was asked for may have come after
   * the running refresh read the service.
   */
  refreshNow(): Promise<WalletSnapshot> {
    if (!this.#inFlight) return (this.#inFlight = this.#refresh());
    return (this.#again ??= this.#inFlight.then(() => {
      this.#again = undefined;
      return this.refreshNow();
    }));
  }

  async #refresh(): Promise<WalletSnapshot> {
    const generation = this.#generation;
    this.#timers.clearTimeout(this.#timer);
    this.#lastAttemptAt = this.#clock.now();
    const events = this.#events;
    const next = await this.#fetch();
    if (generation === this.#generation) {
      this.#inFlight = undefined;
      if (events === this.#events || next.offline) this.#set(next);
      if (this.#running) this.#schedule();
    }
    return this.#snapshot;
  }

  async #fetch(): Promise<WalletSnapshot> {
    const billing = this.#billing();
    if (!billing) return EMPTY_WALLET;
    try {
      const [balance, features, sessions, transactions] = await Promise.all([
        billing.balance(),
        billing.features(),
        billing.sessions({ status: 'active', limit: 1 }),
        billing.transactions({ limit: this.#recent }),
      ]);
      return {
        balance,
        features,
        active_session: sessions[0] ?? null,
        recent_transactions: transactions.transactions,
        fetched_at: new Date(this.#clock.now()).toISOString(),
        offline: false,
        problem: null,
      };
    } catch (error) {
      return { ...this.#snapshot, offline: true, problem: problemOf(error) };
    }
  }

  #openStream(): void {
    const billing = this.#billing();
    if (!billing?.walletStream || this.#stream) return;
    const generation = this.#generation;
    const handle = billing.walletStream(
      (event) => {
        if (generation !== this.#generation) return;
        this.#streamFailures = 0;
        if (!this.#streamUp) {
          this.#streamUp = true;
          this.#schedule();
        }
        this.#events += 1;
        this.#set(this.#fromEvent(event));
      },
      () => {
        if (this.#stream !== handle) return;
        this.#stream = undefined;
        this.#streamUp = false;
        if (!this.#running) return;
        // Back to polling at once, and the stream again after a backoff.
        this.#schedule();
        const wait = Math.min(30_000, this.#retryMs * 2 ** this.#streamFailures++);
        this.#streamTimer = this.#timers.setTimeout(() => this.#openStream(), wait);
      },
    );
    this.#stream = handle;
  }

  #closeStream(): void {
    this.#timers.clearTimeout(this.#streamTimer);
    const stream = this.#stream;
    this.#stream = undefined;
    this.#streamUp = false;
    stream?.close();
  }

  #fromEvent(event: WalletEvent): WalletSnapshot {
    return {
      balance: event.balance,
      features: event.features,
      active_session: event.active_sessions[0] ?? null,
      recent_transactions: event.recent_transactions,
      fetched_at: new Date(this.#clock.now()).toISOString(),
      offline: false,
      problem: null,
    };
  }

  #schedule(): void {
    this.#timers.clearTimeout(this.#timer);
    const due = Math.max(0, this.#lastAttemptAt + this.intervalMs - this.#clock.now());
    this.#timer = this.#timers.setTimeout(() => void this.refreshNow(), due);
  }

  #set(snapshot: WalletSnapshot): void {
    const changed = contentOf(snapshot) !== contentOf(this.#snapshot);
    this.#snapshot = snapshot;
    if (changed) for (const listener of this.#listeners) listener(snapshot);
  }
}
