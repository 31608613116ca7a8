import type { BillingRestart } from '../../../shared/notices.ts';
import type { Timers } from '../timers.ts';
import type { EmbeddedBillingPort } from './embedded-billing-port.ts';

// Waits before each restart attempt: quick at first, then backing off so a crash loop can't spin.
export const RESTART_BACKOFF_MS = [500, 1_000, 2_000, 5_000, 10_000, 30_000] as const;

export interface EmbeddedRestartOptions {
  embedded: EmbeddedBillingPort;
  timers: Timers;
  /** The service is back (on the same addresses when it could take them): adopt its new token. */
  restarted(endpoint: { url: string; token: string }): void;
  /** Told of each step, for the notice and notification. */
  changed(restart: BillingRestart): void;
  backoffMs?: readonly number[];
}

/**
 * Keeps the embedded billing service running: when its process exits without
 * being asked to, starts it again with backoff (after the last delay, it keeps
 * trying at that pace and says it failed once). The service's data folder
 * survives, so the balance and a live session are still there when it is back.
 */
export class EmbeddedRestart {
  readonly #options: EmbeddedRestartOptions;
  #timer: unknown;
  #attempt = 0;
  #stopped = false;
  readonly #unsubscribe: () => void;

  constructor(options: EmbeddedRestartOptions) {
    this.#options = options;
    this.#unsubscribe = options.embedded.onUnexpectedExit?.(() => this.#schedule()) ?? (() => undefined);
  }

  /** Whether a restart is under way. */
  get restarting(): boolean {
    return this.#attempt > 0;
  }

  dispose(): void {
    this.#stopped = true;
    this.#options.timers.clearTimeout(this.#timer);
    this.#unsubscribe();
  }

  #schedule(): void {
    if (this.#stopped) return;
    const backoff = this.#options.backoffMs ?? RESTART_BACKOFF_MS;
    this.#attempt += 1;
    this.#options.changed({ state: 'restarting', attempt: this.#attempt });
    if (this.#attempt === backoff.length + 1) this.#options.changed({ state: 'failed' });
    const delay = backoff[Math.min(this.#attempt, backoff.length) - 1]!;
    this.#timer = this.#options.timers.setTimeout(() => void this.#restart(), delay);
  }

  async #restart(): Promise<void> {
    if (this.#stopped) return;
    try {
      const endpoint = await this.#options.embedded.start();
      if (this.#stopped) return;
      this.#attempt = 0;
      this.#options.restarted(endpoint);
      this.#options.changed({ state: 'restarted' });
    } catch {
      this.#schedule();
    }
  }
}
