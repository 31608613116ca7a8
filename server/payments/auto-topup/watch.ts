import type { FastifyBaseLogger } from 'fastify';
import { EVERY_WALLET, onWalletChanges } from '../../ledger/wallet-changes.ts';
import { topUpIfDue, usersBelowThreshold, type AutoTopupDeps } from './auto-topup.ts';

/**
 * Watches every wallet change — a debit, a refund, the metering tick (which
 * announces `*`) — from this process or any other, and charges the saved card
 * of a user whose balance crossed their threshold. Checks for one user run one
 * at a time here; across processes the crossing's claim decides.
 */
export class AutoTopupWatch {
  readonly #deps: AutoTopupDeps;
  readonly #log: FastifyBaseLogger;
  readonly #running = new Map<string, Promise<void>>();
  readonly #again = new Set<string>();
  #stopListening: (() => Promise<void>) | undefined;

  constructor(deps: AutoTopupDeps, log: FastifyBaseLogger) {
    this.#deps = deps;
    this.#log = log;
  }

  async start(): Promise<void> {
    this.#stopListening = await onWalletChanges(this.#deps.payments.db, (userId) => {
      if (userId === EVERY_WALLET) void this.scan();
      else this.check(userId);
    });
  }

  /** Checks one user now, or once more after the check under way. */
  check(userId: string): void {
    if (this.#running.has(userId)) {
      this.#again.add(userId);
      return;
    }
    const run = (async () => {
      do {
        this.#again.delete(userId);
        try {
          const outcome = await topUpIfDue(this.#deps, userId);
          if (outcome) this.#log.info({ userId, outcome }, 'auto top-up');
        } catch (error) {
          this.#log.error({ err: error, userId }, 'auto top-up failed');
        }
      } while (this.#again.has(userId));
    })();
    this.#running.set(userId, run);
    void run.finally(() => this.#running.delete(userId));
  }

  /** Checks every user below their threshold. */
  async scan(): Promise<void> {
    try {
      for (const userId of await usersBelowThreshold(this.#deps.payments.db)) this.check(userId);
    } catch (error) {
      this.#log.error({ err: error }, 'auto top-up scan failed');
    }
  }

  /** Resolves when no check is running (tests; closing). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.all([...this.#running.values()]);
  }

  async stop(): Promise<void> {
    await this.#stopListening?.();
    await this.idle();
  }
}
