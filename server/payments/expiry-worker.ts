import { systemClock, type Clock } from '../../shared/clock.ts';
import type { Db } from '../db/types.ts';
import { expirePendingPayments } from './pending-payments.ts';

/**
 * Lapses unpaid checkouts past their expiry, once a minute, so the app's waiting
 * state ends and a late confirmation is not credited.
 */
export class PaymentExpiryWorker {
  readonly #db: Db;
  readonly #clock: Clock;
  readonly #intervalMs: number;
  readonly #onError: (error: unknown) => void;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: { db: Db; clock?: Clock; intervalMs?: number; onError?: (error: unknown) => void }) {
    this.#db = options.db;
    this.#clock = options.clock ?? systemClock;
    this.#intervalMs = options.intervalMs ?? 60_000;
    this.#onError = options.onError ?? (() => undefined);
  }

  start(): void {
    this.#timer ??= setInterval(() => this.expireNow().catch(this.#onError), this.#intervalMs);
    this.#timer.unref();
  }

  expireNow(): Promise<number> {
    return expirePendingPayments(this.#db, this.#clock.now());
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
