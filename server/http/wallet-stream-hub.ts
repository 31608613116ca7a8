import type { ServerResponse } from 'node:http';
import type { WalletEvent } from '../../shared/api/wallet-stream.ts';
import type { PricingConfig } from '../../shared/pricing.ts';
import type { Clock } from '../../shared/clock.ts';
import type { Db } from '../db/types.ts';
import { listEntries } from '../ledger/list-entries.ts';
import { EVERY_WALLET, onWalletChanges } from '../ledger/wallet-changes.ts';
import { getWalletSummary } from '../ledger/wallet-summary.ts';
import { listSessions } from '../sessions/list-sessions.ts';
import { sessionView, transactionView } from './views.ts';
import { balanceView, featuresView } from './wallet-views.ts';

// Live sessions move without a wallet change (bytes counted by the gateway):
// users with one are re-read this often and sent only what changed.
const LIVE_REFRESH_MS = 5_000;
// A comment now and then keeps proxies and load balancers from closing a quiet stream.
const KEEPALIVE_MS = 25_000;
const RECENT_TRANSACTIONS = 10;

interface Watcher {
  userId: string;
  response: ServerResponse;
  last: string;
}

/**
 * Everyone holding `GET /api/wallet/stream`, by user. One NOTIFY listener for
 * the process: a committed wallet change (here or in another process) is read
 * once per user and written to each of that user's streams. An idle stream
 * costs a socket and nothing else.
 */
export class WalletStreamHub {
  readonly #byUser = new Map<string, Set<Watcher>>();
  readonly #pending = new Set<string>();
  readonly #live = new Set<string>();
  #stopListening: (() => Promise<void>) | undefined;
  #liveTimer: ReturnType<typeof setInterval> | undefined;
  #keepAlive: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly db: Db,
    private readonly pricing: PricingConfig,
    private readonly clock: Clock,
  ) {}

  async start(): Promise<void> {
    this.#stopListening = await onWalletChanges(this.db, (userId) =>
      userId === EVERY_WALLET ? this.#byUser.forEach((_, id) => this.#changed(id)) : this.#changed(userId),
    );
    this.#liveTimer = setInterval(() => this.#live.forEach((id) => this.#changed(id)), LIVE_REFRESH_MS);
    this.#keepAlive = setInterval(() => this.#each((w) => w.response.write(': keep-alive\n\n')), KEEPALIVE_MS);
    this.#liveTimer.unref();
    this.#keepAlive.unref();
  }

  async close(): Promise<void> {
    clearInterval(this.#liveTimer);
    clearInterval(this.#keepAlive);
    await this.#stopListening?.();
    this.#each((w) => w.response.end());
    this.#byUser.clear();
  }

  get size(): number {
    let n = 0;
    for (const set of this.#byUser.values()) n += set.size;
    return n;
  }

  /** Holds the response open as an event stream and sends the wallet now. */
  async add(userId: string, response: ServerResponse): Promise<void> {
    const watcher: Watcher = { userId, response, last: '' };
    const set = this.#byUser.get(userId) ?? new Set();
    this.#byUser.set(userId, set);
    set.add(watcher);
    response.on('close', () => {
      set.delete(watcher);
      if (set.size === 0) {
        this.#byUser.delete(userId);
        this.#live.delete(userId);
      }
    });
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    response.write('retry: 3000\n\n');
    const event = await this.#read(userId);
    if (event) this.#send(watcher, event);
  }

  #each(visit: (watcher: Watcher) => void): void {
    for (const set of this.#byUser.values()) for (const watcher of set) visit(watcher);
  }

  /** Coalesces a burst of changes for one user into one read. */
  #changed(userId: string): void {
    if (!this.#byUser.has(userId) || this.#pending.has(userId)) return;
    this.#pending.add(userId);
    setImmediate(() => {
      this.#pending.delete(userId);
      void this.#read(userId).then((event) => {
        if (event) for (const watcher of this.#byUser.get(userId) ?? []) this.#send(watcher, event);
      });
    });
  }

  async #read(userId: string): Promise<WalletEvent | null> {
    try {
      const [wallet, sessions, entries] = await Promise.all([
        getWalletSummary(this.db, userId),
        listSessions(this.db, userId, { status: 'active', limit: 10 }),
        listEntries(this.db, userId, { limit: RECENT_TRANSACTIONS }),
      ]);
      if (!wallet) return null;
      if (sessions.length > 0) this.#live.add(userId);
      else this.#live.delete(userId);
      const now = this.clock.now();
      return {
        balance: balanceView(wallet, this.pricing),
        features: featuresView(wallet.balance, this.pricing),
        active_sessions: sessions.map((s) => sessionView(s, wallet.balance, now)),
        recent_transactions: entries.entries.map(transactionView),
      };
    } catch {
      // A failed read (database away) skips this change; the next one, or the client's fallback poll, catches up.
      return null;
    }
  }

  #send(watcher: Watcher, event: WalletEvent): void {
    // Sessions' duration moves every second; only a change in what they say is news.
    const text = JSON.stringify(event);
    const news = JSON.stringify({ ...event, active_sessions: event.active_sessions.map(withoutClock) });
    if (news === watcher.last) return;
    watcher.last = news;
    watcher.response.write(`event: wallet\ndata: ${text}\n\n`);
  }
}

const withoutClock = ({
  duration_seconds: _d,
  seconds_remaining: _s,
  ...rest
}: WalletEvent['active_sessions'][number]) => rest;
