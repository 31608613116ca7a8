import type { AutoTopupView } from '../../../shared/api/auto-topup.ts';

export interface AutoTopupWatchOptions {
  /** GET /api/auto-topup for the signed-in user. */
  fetch: () => Promise<AutoTopupView>;
  /** Told once per top-up the service declined (or could not make), with its reason. */
  turnedOff: (reason: string) => void;
  now: () => number;
  /** Fewest ms between two looks (the wallet changes every few seconds while connected). */
  minIntervalMs?: number;
}

/**
 * Looks at auto top-up when the wallet changes, since a charge follows a
 * falling balance: when the service has turned it off after a declined or
 * failed charge, says so once for that charge.
 */
export class AutoTopupWatch {
  readonly #options: AutoTopupWatchOptions;
  #lastLook = -Infinity;
  #looking = false;
  readonly #told = new Set<string>();

  constructor(options: AutoTopupWatchOptions) {
    this.#options = options;
  }

  onWallet(): void {
    const now = this.#options.now();
    if (this.#looking || now - this.#lastLook < (this.#options.minIntervalMs ?? 15_000)) return;
    this.#lastLook = now;
    this.#looking = true;
    void this.#look().finally(() => {
      this.#looking = false;
    });
  }

  async #look(): Promise<void> {
    let view: AutoTopupView;
    try {
      view = await this.#options.fetch();
    } catch {
      return; // offline, signed out or an older service: the next wallet change tries again
    }
    const last = view.recent[0];
    if (view.enabled || !view.disabled_reason || !last || !['declined', 'failed'].includes(last.status)) return;
    const key = `${last.payment_id ?? ''}@${last.created_at}`;
    if (this.#told.has(key)) return;
    this.#told.add(key);
    this.#options.turnedOff(view.disabled_reason);
  }
}
