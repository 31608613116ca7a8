import { describe, expect, it, vi } from 'vitest';
import { quitSequence } from '../../../electron/quit-sequence.ts';

describe('quitSequence', () => {
  it('lets the core disconnect and stop before the app exits, once', async () => {
    const order: string[] = [];
    const core = { quit: vi.fn(async () => void order.push('core stopped')) };
    const quit = quitSequence(core, () => order.push('exit'));
    expect(quit.done).toBe(false);
    await Promise.all([quit(), quit()]);
    await quit();
    expect(order).toEqual(['core stopped', 'exit']);
    expect(core.quit).toHaveBeenCalledTimes(1);
    expect(quit.done).toBe(true);
  });

  it('exits anyway when the core fails or hangs', async () => {
    const onError = vi.fn();
    const exit = vi.fn();
    await quitSequence({ quit: () => Promise.reject(new Error('billing gone')) }, exit, { onError })();
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'billing gone' }));
    expect(exit).toHaveBeenCalledTimes(1);

    const hung = quitSequence({ quit: () => new Promise<void>(() => {}) }, exit, { timeoutMs: 20 });
    await hung();
    expect(exit).toHaveBeenCalledTimes(2);
    expect(hung.done).toBe(true);
  });
});
