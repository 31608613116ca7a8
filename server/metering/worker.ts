import { systemClock, type Clock } from '../../shared/clock.ts';
import type { Db } from '../db/types.ts';
import { chargeDueSessions, type TickResult } from './charge-due-sessions.ts';
import { DEFAULT_METERING, type MeteringConfig } from './config.ts';

export interface MeteringWorkerOptions {
  db: Db;
  clock?: Clock;
  config?: MeteringConfig;
  /** Told of every tick, e.g. to close the gateway tunnels of ended sessions. */
  onTick?: (result: TickResult) => void;
  onError?: (error: unknown) => void;
}

/**
 * Ticks `chargeDueSessions` on an interval. Ticks never overlap: a slow tick
 * delays the next one, and since owed is cumulative a late tick catches up exactly.
 */
export class MeteringWorker {
  readonly #db: Db;
  readonly #clock: Clock;
  readonly #config: MeteringConfig;
  readonly #onTick: ((result: TickResult) => void) | undefined;
  readonly #onError: (error: unknown) => void;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<TickResult> | undefined;

  constructor(options: MeteringWorkerOptions) {
    this.#db = options.db;
    this.#clock = options.clock ?? systemClock;
    this.#config = options.config ?? DEFAULT_METERING;
    this.#onTick = options.onTick;
    this.#onError = options.onError ?? (() => undefined);
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      if (!this.#running) this.tick().catch(this.#onError);
    }, this.#config.tickIntervalMs);
    this.#timer.unref();
  }

  /** One tick now; if one is already running, waits for it instead of starting another. */
  async tick(): Promise<TickResult> {
    if (this.#running) return this.#running;
    this.#running = chargeDueSessions(this.#db, this.#clock.now(), this.#config);
    try {
      const result = await this.#running;
      this.#onTick?.(result);
      return result;
    } finally {
      this.#running = undefined;
    }
  }

  /** Stops ticking after a final tick, so a graceful shutdown charges what was served. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => undefined);
    await this.tick().catch(this.#onError);
  }
}
