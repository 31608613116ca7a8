import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { utilityProcessLauncher } from '../../../../electron/embedded/utility-process-launcher.ts';

describe('utilityProcessLauncher', () => {
  it("forks a utility process with the launcher's env added to ours and its Node flags", () => {
    const child = Object.assign(new EventEmitter(), { postMessage: vi.fn(), kill: vi.fn() });
    const fork = vi.fn(() => child);
    process.env.ATLANTIC_LAUNCHER_PROBE = 'inherited';
    const launched = utilityProcessLauncher({ fork } as never).launch('/app/out/electron/service-process.mjs', {
      env: { ATLANTIC_DATA_DIR: '/data/billing' },
      execArgv: [],
    });
    delete process.env.ATLANTIC_LAUNCHER_PROBE;
    const [path, args, options] = fork.mock.calls[0] as unknown as [string, string[], Record<string, any>];
    expect(path).toBe('/app/out/electron/service-process.mjs');
    expect(args).toEqual([]);
    expect(options.env).toMatchObject({ ATLANTIC_DATA_DIR: '/data/billing', ATLANTIC_LAUNCHER_PROBE: 'inherited' });
    expect(options.execArgv).toEqual([]);
    expect(options.serviceName).toBe('Atlantic Proxy billing');

    const messages: unknown[] = [];
    launched.on('message', (message) => messages.push(message));
    child.emit('message', { type: 'ready' });
    expect(messages).toEqual([{ type: 'ready' }]);
    launched.postMessage({ type: 'stop' });
    expect(child.postMessage).toHaveBeenCalledWith({ type: 'stop' });
    launched.kill();
    expect(child.kill).toHaveBeenCalled();
  });
});
