import type { ChildLike, ProcessLauncher } from './process-launcher.ts';
import { execArgvFor } from './service-entry.ts';
import {
  fromServiceSchema,
  RESUME_PORTS_ENV,
  TEST_CLOCK_ENV,
  TEST_CLOCK_SETTINGS,
  type FromService,
  type TestClockMode,
  type ToService,
} from './service-protocol.ts';

export interface EmbeddedBillingOptions {
  launcher: ProcessLauncher;
  /** The child's entry, see `serviceProcessEntry`. */
  entryPath: string;
  /** PGlite's data folder, under the app's user-data folder. */
  dataDir: string;
  /** More of the service's environment (LOG_LEVEL, METERING_TICK_MS, ATLANTIC_EXITS_FILE…). */
  env?: Record<string, string>;
  /**
   * End-to-end tests only: let `advanceClock` and `tick` control the service's
   * clock, `running` (real time plus what was advanced) or `frozen` (moves only when advanced).
   */
  testClock?: TestClockMode;
  startTimeoutMs?: number;
  stopTimeoutMs?: number;
  /** How long a clock or tick request may take. */
  requestTimeoutMs?: number;
}

export interface EmbeddedEndpoint {
  url: string;
  token: string;
  gateway: { host: string; port: number };
}

/** Why the embedded billing process did not do what it was asked; `code` comes from the process when it said. */
export class EmbeddedBillingError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'EmbeddedBillingError';
    this.code = code;
  }
}

type Reply = Extract<FromService, { type: 'reply' }>;
type Request = Extract<ToService, { id: number }>;

/**
 * The app's side of the embedded billing process (electron/embedded/service-process.ts):
 * starts it through a launcher, waits for its URL and local token, asks it to
 * stop cleanly, and, with the test clock, moves its clock and ticks its metering.
 * Knows only the child's path and message protocol, so it runs under Electron
 * and in plain Node alike.
 */
export class EmbeddedBilling {
  readonly #options: EmbeddedBillingOptions;
  #child: ChildLike | undefined;
  #exited: Promise<number | null> | undefined;
  #nextId = 1;
  /** Set while a stop was asked for: an exit then is expected. */
  #stopping = false;
  /** Where the last run listened: a restart asks for the same ports, so clients and tunnels find it again. */
  #lastEndpoint: EmbeddedEndpoint | undefined;
  readonly #exitListeners = new Set<() => void>();
  /** The process that reached ready: only its exit can be unexpected (a failed start is the caller's to handle). */
  #served: ChildLike | undefined;
  readonly #pending = new Map<number, { resolve(reply: Reply): void; reject(error: Error): void }>();

  constructor(options: EmbeddedBillingOptions) {
    this.#options = options;
  }

  /** Whether the process is running (started and not yet exited). */
  get running(): boolean {
    return this.#child !== undefined;
  }

  /** Starts the process and resolves with where the service listens and the local account's token. */
  async start(): Promise<EmbeddedEndpoint> {
    if (this.#child) throw new EmbeddedBillingError('already_running', 'embedded billing is already running');
    const { launcher, entryPath, dataDir, env, testClock, startTimeoutMs = 30_000 } = this.#options;
    this.#stopping = false;
    const last = this.#lastEndpoint;
    const resume = last ? `${new URL(last.url).port},${last.gateway.port}` : '';
    const child = launcher.launch(entryPath, {
      env: {
        ...env,
        ATLANTIC_DATA_DIR: dataDir,
        [RESUME_PORTS_ENV]: resume,
        [TEST_CLOCK_ENV]: testClock ? TEST_CLOCK_SETTINGS[testClock] : '',
      },
      execArgv: execArgvFor(entryPath),
    });
    this.#child = child;
    this.#exited = new Promise((resolve) => child.on('exit', resolve));
    void this.#exited.then((code) => this.#onExit(child, code));

    const ready = new Promise<EmbeddedEndpoint>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new EmbeddedBillingError('start_timeout', `embedded billing did not start within ${startTimeoutMs} ms`));
      }, startTimeoutMs);
      const settle = () => clearTimeout(timer);
      void this.#exited!.then((code) => {
        settle();
        reject(new EmbeddedBillingError('exited', `embedded billing exited (code ${code}) before it was ready`));
      });
      child.on('message', (raw) => {
        const message = fromServiceSchema.safeParse(raw);
        if (!message.success) return;
        const m = message.data;
        if (m.type === 'ready') {
          settle();
          this.#lastEndpoint = { url: m.url, token: m.token, gateway: m.gateway };
          this.#served = child;
          resolve(this.#lastEndpoint);
        } else if (m.type === 'failed') {
          settle();
          reject(new EmbeddedBillingError(m.code, `embedded billing failed to start: ${m.message}`));
        } else {
          this.#settle(m);
        }
      });
    });
    try {
      return await ready;
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** Asks the process to stop (final metering tick, database closed) and waits for it; kills it if it takes too long. */
  async stop(): Promise<void> {
    const child = this.#child;
    const exited = this.#exited;
    if (!child || !exited) return;
    this.#stopping = true;
    const { stopTimeoutMs = 10_000 } = this.#options;
    child.postMessage({ type: 'stop' } satisfies ToService);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const overdue = new Promise<'overdue'>((resolve) => {
      timer = setTimeout(() => resolve('overdue'), stopTimeoutMs);
    });
    if ((await Promise.race([exited, overdue])) === 'overdue') {
      child.kill();
      await exited;
    }
    clearTimeout(timer);
  }

  /** Calls `listener` when a running process exits without being asked to stop (a crash, a kill). */
  onUnexpectedExit(listener: () => void): () => void {
    this.#exitListeners.add(listener);
    return () => this.#exitListeners.delete(listener);
  }

  /** Test clock only: moves the service's clock forward; resolves with its new time. */
  async advanceClock(ms: number): Promise<number> {
    return (await this.#request({ type: 'clock.advance', id: this.#nextId++, ms })).now!;
  }

  /** Test clock only: runs one metering tick now and resolves when it is done. */
  async tick(): Promise<void> {
    await this.#request({ type: 'tick', id: this.#nextId++ });
  }

  async #request(request: Request): Promise<Reply> {
    const child = this.#child;
    if (!child) throw new EmbeddedBillingError('not_running', 'embedded billing is not running');
    const { requestTimeoutMs = 30_000 } = this.#options;
    const reply = new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(request.id);
        reject(new EmbeddedBillingError('request_timeout', `embedded billing did not answer ${request.type}`));
      }, requestTimeoutMs);
      this.#pending.set(request.id, {
        resolve: (answer) => {
          clearTimeout(timer);
          resolve(answer);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
    child.postMessage(request);
    const answer = await reply;
    if (answer.error) throw new EmbeddedBillingError(answer.error.code, answer.error.message);
    return answer;
  }

  #settle(reply: Reply): void {
    const pending = this.#pending.get(reply.id);
    this.#pending.delete(reply.id);
    pending?.resolve(reply);
  }

  #onExit(child: ChildLike, code: number | null): void {
    if (this.#child !== child) return;
    this.#child = undefined;
    this.#exited = undefined;
    for (const pending of this.#pending.values()) {
      pending.reject(new EmbeddedBillingError('exited', `embedded billing exited (code ${code})`));
    }
    this.#pending.clear();
    if (!this.#stopping && this.#served === child) for (const listener of this.#exitListeners) listener();
  }
}
