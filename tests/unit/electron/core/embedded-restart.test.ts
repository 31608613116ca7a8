import { describe, expect, it } from 'vitest';
import { EmbeddedRestart } from '../../../../electron/core/app/embedded-restart.ts';
import type { BillingRestart } from '../../../../shared/notices.ts';

/** Timers that run only when told, recording each delay asked for. */
function manualTimers() {
  const queue: { callback: () => void; ms: number }[] = [];
  return {
    delays: () => queue.map((q) => q.ms),
    setTimeout: (callback: () => void, ms: number) => queue.push({ callback, ms }),
    clearTimeout: () => undefined,
    async runNext() {
      queue.shift()!.callback();
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

describe('restarting the embedded billing process', () => {
  it('backs off between failed starts, says it failed once, and is back when a start succeeds', async () => {
    const timers = manualTimers();
    let exit: () => void = () => undefined;
    let failures = 4;
    const steps: BillingRestart[] = [];
    const restarted: string[] = [];
    new EmbeddedRestart({
      embedded: {
        start: async () => {
          if (failures-- > 0) throw new Error('no');
          return { url: 'http://127.0.0.1:1', token: 't2' };
        },
        stop: async () => undefined,
        onUnexpectedExit: (listener) => ((exit = listener), () => undefined),
      },
      timers,
      backoffMs: [10, 20, 40],
      restarted: (endpoint) => restarted.push(endpoint.token),
      changed: (step) => steps.push(step),
    });
    exit();
    for (let i = 0; i < 5; i++) await timers.runNext();
    expect(timers.delays()).toEqual([]);
    expect(steps).toEqual([
      { state: 'restarting', attempt: 1 },
      { state: 'restarting', attempt: 2 },
      { state: 'restarting', attempt: 3 },
      { state: 'restarting', attempt: 4 },
      { state: 'failed' },
      { state: 'restarting', attempt: 5 },
      { state: 'restarted' },
    ]);
    expect(restarted).toEqual(['t2']);
  });

  it('does nothing once disposed (the app quit or signed in elsewhere)', async () => {
    const timers = manualTimers();
    let exit: () => void = () => undefined;
    const restart = new EmbeddedRestart({
      embedded: {
        start: async () => ({ url: 'u', token: 't' }),
        stop: async () => undefined,
        onUnexpectedExit: (listener) => ((exit = listener), () => (exit = () => undefined)),
      },
      timers,
      restarted: () => expect.unreachable(),
      changed: () => expect.unreachable(),
    });
    restart.dispose();
    exit();
    expect(timers.delays()).toEqual([]);
  });
});
