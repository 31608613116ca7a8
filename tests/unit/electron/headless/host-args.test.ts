import { describe, expect, it } from 'vitest';
import { parseHostArgs } from '../../../../electron/headless/host-args.ts';
import { DEFAULT_HEADLESS_PORT } from '../../../../electron/headless/host-types.ts';

describe('npm run headless arguments', () => {
  it('defaults: the fixed port, .data/headless, out/renderer, no test clock', () => {
    expect(parseHostArgs([], {})).toEqual({
      port: DEFAULT_HEADLESS_PORT,
      dataDir: '.data/headless',
      rendererDir: 'out/renderer',
      testClock: false,
    });
  });

  it('takes the port from the flag over the environment, and 0 for any free port', () => {
    expect(parseHostArgs([], { ATLANTIC_HEADLESS_PORT: '9100' }).port).toBe(9100);
    expect(parseHostArgs(['--port', '0'], { ATLANTIC_HEADLESS_PORT: '9100' }).port).toBe(0);
  });

  it('turns the test clock on only with the explicit flag', () => {
    expect(parseHostArgs(['--test-clock', '--data-dir', '/tmp/x'], {})).toMatchObject({
      testClock: true,
      dataDir: '/tmp/x',
    });
    expect(parseHostArgs([], { ATLANTIC_TEST_CLOCK: '1' }).testClock).toBe(false);
  });

  it('refuses unknown flags and ports that are not ports', () => {
    expect(() => parseHostArgs(['--tset-clock'], {})).toThrow(/tset-clock/);
    expect(() => parseHostArgs(['--port', '70000'], {})).toThrow(/Not a port/);
    expect(() => parseHostArgs(['--port', '80a'], {})).toThrow(/Not a port/);
    expect(() => parseHostArgs([], { ATLANTIC_HEADLESS_PORT: '-1' })).toThrow(/Not a port/);
  });
});
