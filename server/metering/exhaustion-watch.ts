import type { Clock } from '../../shared/clock.ts';
import type { Db } from '../db/types.ts';
import type { MeteringConfig } from './config.ts';
import { endIfExhausted, exhaustionMoment, usersNearExhaustion } from './exhaustion.ts';

// A moment already due but not yet reached by the clock (a test clock, or the last
// micro-credit's rounding) is looked at again after this, never in a busy loop.
const MIN_DELAY_MS = 50;

export interface ExhaustionWatchOptions {
  db: Db;
  clock: Clock;
  config: MeteringConfig;
  /** What the service knows of its gateways now (see served-time.ts). */
  gatewayUpSince: () => Promise<number | null | undefined>;
  /** Told of sessions ended because their user's balance was spent. */
  onEnded?: (sessionIds: string[]) => void;
  onError?: (error: unknown) => void;
}

/**
 * Ends sessions on the second their user's balance is spent rather than at the
 * next tick: for each user whose balance lasts less than two ticks it keeps a
 * timer at the exhaustion moment (balance ÷ combined rate), and then charges
 * exactly what is left. A timer that fires early (credits bought, a session
 * ended) finds the balance not spent and times itself again; any number of
 * processes may watch the same user, as the ending runs under the wallet lock.
 */
export class ExhaustionWatch {
  readonly #options: ExhaustionWatchOptions;
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #checking = new Map<string, Promise<void>>();
  #stopped = false;

  constructor(options: ExhaustionWatchOptions) {
    this.#options = options;
  }

  /** Beyond this the next tick is sure to come first and look again. */
  get horizonMs(): number {
    return 2 * this.#options.config.tickIntervalMs;
  }

  /** Whether this user's exhaustion is being timed. */
  watches(userId: string): boolean {
    return this.#timers.has(userId);
  }

  /** Times (or ends now) the user's exhaustion; one check per user at a time. */
  check(userId: string): Promise<void> {
    const running = this.#checking.get(userId);
    if (running) return running;
    const check = this.#check(userId)
      .catch((error: unknown) => this.#options.onError?.(error))
      .finally(() => this.#checking.delete(userId));
    this.#checking.set(userId, check);
    return check;
  }

  /** Finds every user whose balance runs out within the horizon and checks them (after a tick, at start). */
  async scan(): Promise<void> {
    const users = await usersNearExhaustion(this.#options.db, this.horizonMs);
    await Promise.all(users.map((userId) => this.check(userId)));
  }

  stop(): void {
    this.#stopped = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  async #check(userId: string): Promise<void> {
    if (this.#stopped) return;
    const { db, clock, config } = this.#options;
    const evidence = { gatewayUpSince: await this.#options.gatewayUpSince() };
    const now = clock.now();
    let moment = await exhaustionMoment(db, userId, now, config, evidence);
    if (moment !== null && moment <= now) {
      const ended = await endIfExhausted(db, userId, now, config, evidence);
      if (ended.length > 0) this.#options.onEnded?.(ended);
      moment = await exhaustionMoment(db, userId, now, config, evidence);
    }
    this.#arm(userId, moment === null ? null : moment - now);
  }

  #arm(userId: string, delayMs: number | null): void {
    clearTimeout(this.#timers.get(userId));
    this.#timers.delete(userId);
    if (this.#stopped || delayMs === null || delayMs > this.horizonMs) return;
    const timer = setTimeout(
      () => {
        this.#timers.delete(userId);
        void this.check(userId);
      },
      Math.max(delayMs, MIN_DELAY_MS),
    );
    timer.unref();
    this.#timers.set(userId, timer);
  }
}
