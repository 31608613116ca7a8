import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  EmbeddedBilling,
  type EmbeddedBillingOptions,
} from '../../../../../electron/core/embedded/embedded-billing.ts';
import type {
  ChildLike,
  LaunchOptions,
  ProcessLauncher,
} from '../../../../../electron/core/embedded/process-launcher.ts';
import { execArgvFor, serviceProcessEntry } from '../../../../../electron/core/embedded/service-entry.ts';

const READY = {
  type: 'ready',
  url: 'http://127.0.0.1:4000',
  token: 'atl_x',
  gateway: { host: '127.0.0.1', port: 4001 },
};

/** A child process played by the test: it hears what the app posts and says what the test tells it to. */
class FakeChild implements ChildLike {
  readonly posted: unknown[] = [];
  kills = 0;
  readonly #events = new EventEmitter();
  /** How the child reacts to each message the app posts. */
  onPost: (message: any) => void = () => undefined;

  postMessage(message: unknown): void {
    this.posted.push(message);
    this.onPost(message);
  }
  on(event: string, listener: (...args: any[]) => void): this {
    this.#events.on(event, listener);
    return this;
  }
  kill(): void {
    this.kills++;
    this.exit(null);
  }
  say(message: unknown): void {
    this.#events.emit('message', message);
  }
  exit(code: number | null): void {
    this.#events.emit('exit', code);
  }
}

/** A launcher whose child behaves well: ready at once, exits 0 when asked to stop. */
function world(options: Partial<EmbeddedBillingOptions> = {}, script?: (child: FakeChild) => void) {
  const launches: { entry: string; options: LaunchOptions }[] = [];
  const children: FakeChild[] = [];
  const launcher: ProcessLauncher = {
    launch(entry, launchOptions) {
      launches.push({ entry, options: launchOptions });
      const child = new FakeChild();
      children.push(child);
      child.onPost = (message) => {
        if (message.type === 'stop') queueMicrotask(() => child.exit(0));
      };
      if (script) script(child);
      else queueMicrotask(() => child.say(READY));
      return child;
    },
  };
  const billing = new EmbeddedBilling({
    launcher,
    entryPath: '/app/service-process.ts',
    dataDir: '/data/billing',
    startTimeoutMs: 200,
    stopTimeoutMs: 200,
    requestTimeoutMs: 200,
    ...options,
  });
  return { billing, launches, children };
}

describe('EmbeddedBilling', () => {
  it('launches the entry with the data folder and the TypeScript loader, and resolves with what the child reports', async () => {
    const { billing, launches } = world({ env: { LOG_LEVEL: 'warn' } });
    await expect(billing.start()).resolves.toEqual({ url: READY.url, token: READY.token, gateway: READY.gateway });
    expect(billing.running).toBe(true);
    expect(launches).toHaveLength(1);
    expect(launches[0]!.entry).toBe('/app/service-process.ts');
    expect(launches[0]!.options.env).toEqual({
      LOG_LEVEL: 'warn',
      ATLANTIC_DATA_DIR: '/data/billing',
      // A first start has no earlier ports to ask for.
      ATLANTIC_RESUME_PORTS: '',
      ATLANTIC_TEST_CLOCK: '',
    });
    expect(launches[0]!.options.execArgv).toEqual(execArgvFor('/app/service-process.ts'));
  });

  it('passes the test clock mode only when asked for', async () => {
    const { billing, launches } = world({ testClock: 'frozen' });
    await billing.start();
    expect(launches[0]!.options.env.ATLANTIC_TEST_CLOCK).toBe('frozen');
  });

  it('ignores messages outside the protocol', async () => {
    const { billing } = world({}, (child) =>
      queueMicrotask(() => {
        child.say('hello');
        child.say({ type: 'ready', url: 5 });
        child.say(READY);
      }),
    );
    await expect(billing.start()).resolves.toMatchObject({ url: READY.url });
  });

  it('rejects start with the child’s reason when it fails, and is not left running', async () => {
    const { billing } = world({}, (child) =>
      queueMicrotask(() => {
        child.say({ type: 'failed', code: 'EACCES', message: 'permission denied' });
        child.exit(1);
      }),
    );
    await expect(billing.start()).rejects.toMatchObject({
      code: 'EACCES',
      message: 'embedded billing failed to start: permission denied',
    });
    expect(billing.running).toBe(false);
  });

  it('rejects start when the child exits before it is ready', async () => {
    const { billing } = world({}, (child) => queueMicrotask(() => child.exit(3)));
    await expect(billing.start()).rejects.toMatchObject({ code: 'exited', message: expect.stringMatching(/code 3/) });
    expect(billing.running).toBe(false);
  });

  it('times out a start that never answers, then kills the child that ignores stop', async () => {
    const { billing, children } = world({}, (child) => {
      child.onPost = () => undefined;
    });
    await expect(billing.start()).rejects.toMatchObject({
      code: 'start_timeout',
      message: 'embedded billing did not start within 200 ms',
    });
    expect(children[0]!.posted).toEqual([{ type: 'stop' }]);
    expect(children[0]!.kills).toBe(1);
    expect(billing.running).toBe(false);
  });

  it('stops by asking and waiting for the exit, without killing', async () => {
    const { billing, children } = world();
    await billing.start();
    await billing.stop();
    expect(children[0]!.posted).toEqual([{ type: 'stop' }]);
    expect(children[0]!.kills).toBe(0);
    expect(billing.running).toBe(false);
    await billing.stop();
    expect(children[0]!.posted).toHaveLength(1);
  });

  it('can start again after a stop', async () => {
    const { billing, children } = world();
    await billing.start();
    await expect(billing.start()).rejects.toMatchObject({ code: 'already_running' });
    await billing.stop();
    await billing.start();
    expect(children).toHaveLength(2);
    expect(billing.running).toBe(true);
  });

  it('matches clock and tick answers to their requests, and turns refusals into errors with the code', async () => {
    const { billing, children } = world({ testClock: 'running' });
    await billing.start();
    const child = children[0]!;
    const held: any[] = [];
    child.onPost = (message) => held.push(message);
    const advanced = billing.advanceClock(60_000);
    const ticked = billing.tick();
    expect(held.map((m) => m.type)).toEqual(['clock.advance', 'tick']);
    expect(held[0].ms).toBe(60_000);
    // Answers in the other order.
    child.say({ type: 'reply', id: held[1].id, error: { code: 'not_running', message: 'no' } });
    child.say({ type: 'reply', id: held[0].id, now: 1_000_060_000 });
    await expect(advanced).resolves.toBe(1_000_060_000);
    await expect(ticked).rejects.toMatchObject({ code: 'not_running' });
  });

  it('fails requests still waiting when the child exits, and refuses them when nothing runs', async () => {
    const { billing, children } = world({ testClock: 'running' });
    await expect(billing.tick()).rejects.toMatchObject({ code: 'not_running' });
    await billing.start();
    children[0]!.onPost = () => undefined;
    const waiting = billing.tick();
    children[0]!.exit(1);
    await expect(waiting).rejects.toMatchObject({ code: 'exited' });
    expect(billing.running).toBe(false);
  });

  it('times out a request nobody answers', async () => {
    const { billing, children } = world({ testClock: 'running' });
    await billing.start();
    children[0]!.onPost = () => undefined;
    await expect(billing.advanceClock(1)).rejects.toMatchObject({ code: 'request_timeout' });
  });
});

describe('the service process entry', () => {
  it('is the TypeScript source in a checkout, run through the resolved tsx loader', () => {
    const entry = serviceProcessEntry();
    expect(entry).toMatch(/electron\/embedded\/service-process\.ts$/);
    const [flag, loader] = execArgvFor(entry);
    expect(flag).toBe('--import');
    // Resolved, not the bare name, so it loads whatever the working directory is.
    expect(loader).toMatch(/^file:\/\/.*\/tsx\//);
  });

  it('is a bundled path when the shell gives one, which needs no loader', () => {
    expect(serviceProcessEntry('/opt/atlantic/service-process.js')).toBe('/opt/atlantic/service-process.js');
    expect(execArgvFor('/opt/atlantic/service-process.js')).toEqual([]);
  });
});
