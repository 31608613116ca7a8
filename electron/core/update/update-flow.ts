import type { UpdateStatus } from '../../../shared/ipc/views.ts';
import { CoreError } from '../app/core-error.ts';
import { systemTimers, type Timers } from '../timers.ts';
import type { Updater } from './updater.ts';

export const UPDATE_CHECK_INTERVAL_MS = 6 * 60 * 60 * 1000;

export interface UpdateFlowOptions {
  /** null: no feed configured, updates quietly off. */
  updater: Updater | null;
  /** A live session: restarting would cut it, so the restart waits for a disconnect. */
  isLive: () => boolean;
  onStatus: (status: UpdateStatus) => void;
  timers?: Timers;
  intervalMs?: number;
  onError?: (error: unknown) => void;
}

const status = (state: UpdateStatus['state'], over: Partial<UpdateStatus> = {}): UpdateStatus => ({
  state,
  version: null,
  percent: null,
  message: null,
  ...over,
});

/**
 * Checks the feed at start and every 6 hours, downloads a newer version in the
 * background (progress in the status), then offers "Restart to update". It
 * never restarts by itself, and refuses to while a session is live.
 */
export class UpdateFlow {
  readonly #options: UpdateFlowOptions;
  readonly #timers: Timers;
  #status: UpdateStatus;
  #timer: unknown;
  #running: Promise<void> | undefined;

  constructor(options: UpdateFlowOptions) {
    this.#options = options;
    this.#timers = options.timers ?? systemTimers;
    this.#status = status(options.updater ? 'idle' : 'disabled');
  }

  get status(): UpdateStatus {
    return this.#status;
  }

  /** The check at start, and the timer for the next ones. */
  start(): Promise<void> {
    if (!this.#options.updater) return Promise.resolve();
    const next = () => {
      this.#timer = this.#timers.setTimeout(() => {
        void this.check().finally(next);
      }, this.#options.intervalMs ?? UPDATE_CHECK_INTERVAL_MS);
    };
    next();
    return this.check();
  }

  /** One check and, when there is a newer version, its download. Nothing new once one is downloading or ready. */
  check(): Promise<void> {
    const updater = this.#options.updater;
    if (!updater || this.#status.state === 'ready') return Promise.resolve();
    return (this.#running ??= this.#checkAndDownload(updater).finally(() => (this.#running = undefined)));
  }

  /** "Restart to update": installs the downloaded version, never under a live session. */
  restart(): void {
    if (this.#status.state !== 'ready' || !this.#options.updater)
      throw new CoreError('no_update_ready', 'There is no downloaded update to install yet.');
    if (this.#options.isLive())
      throw new CoreError('session_live', 'Disconnect first: restarting now would end your proxy session.');
    this.#options.updater.install();
  }

  stop(): void {
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #checkAndDownload(updater: Updater): Promise<void> {
    this.#set(status('checking'));
    try {
      const offer = await updater.check();
      if (!offer) return this.#set(status('idle'));
      this.#set(status('downloading', { version: offer.version, percent: 0 }));
      await updater.download((progress) => {
        const percent = Math.min(100, Math.max(0, Math.floor(progress.percent)));
        if (percent !== this.#status.percent) this.#set(status('downloading', { version: offer.version, percent }));
      });
      this.#set(status('ready', { version: offer.version, percent: 100 }));
    } catch (error) {
      // A feed that is down or a download cut short: said quietly, and tried again at the next check.
      this.#options.onError?.(error);
      // electron-updater's messages carry whole HTTP answers: the first line says enough.
      const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 200);
      this.#set(status('failed', { message: `Could not update: ${reason}` }));
    }
  }

  #set(next: UpdateStatus): void {
    this.#status = next;
    this.#options.onStatus(next);
  }
}
