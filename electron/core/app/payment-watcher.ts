import type { PaymentView } from '../../../shared/api/credits.ts';
import { systemTimers, type Timers } from '../timers.ts';

export interface PaymentWatcherOptions {
  payment: (paymentId: string) => Promise<PaymentView>;
  /** Each change of a watched payment's status (the window's waiting state follows it). */
  onChange: (payment: PaymentView) => void;
  timers?: Timers;
  intervalMs?: number;
  /** Gives up after this long; the service lapses unpaid checkouts (to `failed`) after an hour by default. */
  maxWatchMs?: number;
}

/**
 * Watches pending purchases until the provider's answer settles them (paid,
 * failed, expired): the app learns about a payment made in the browser
 * without the user coming back to click anything.
 */
export class PaymentWatcher {
  readonly #options: PaymentWatcherOptions;
  readonly #timers: Timers;
  readonly #watching = new Map<string, unknown>();

  constructor(options: PaymentWatcherOptions) {
    this.#options = options;
    this.#timers = options.timers ?? systemTimers;
  }

  watch(payment: PaymentView): void {
    if (payment.status !== 'pending' || this.#watching.has(payment.payment_id)) return;
    const deadline = (this.#options.maxWatchMs ?? 65 * 60_000) / (this.#options.intervalMs ?? 2_000);
    this.#next(payment, Math.ceil(deadline));
  }

  stop(): void {
    for (const timer of this.#watching.values()) this.#timers.clearTimeout(timer);
    this.#watching.clear();
  }

  #next(last: PaymentView, pollsLeft: number): void {
    const id = last.payment_id;
    if (pollsLeft <= 0) return void this.#watching.delete(id);
    const timer = this.#timers.setTimeout(async () => {
      let current = last;
      try {
        current = await this.#options.payment(id);
      } catch {
        // Offline for a moment: keep watching, the payment is still where it was.
      }
      if (!this.#watching.has(id)) return;
      if (current.status !== last.status) this.#options.onChange(current);
      if (current.status === 'pending') this.#next(current, pollsLeft - 1);
      else this.#watching.delete(id);
    }, this.#options.intervalMs ?? 2_000);
    this.#watching.set(id, timer);
  }
}
