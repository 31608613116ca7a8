import { parseArgs } from 'node:util';
import { DEFAULT_HEADLESS_PORT } from './host-types.ts';

export interface HostArgs {
  port: number;
  dataDir: string;
  rendererDir: string;
  testClock: boolean;
}

export const USAGE = `Usage: npm run headless -- [--port N] [--data-dir DIR] [--renderer-dir DIR] [--test-clock]
  --port N          loopback port (default ${DEFAULT_HEADLESS_PORT}, or ATLANTIC_HEADLESS_PORT; 0 picks a free one)
  --data-dir DIR    settings, token and embedded billing data (default .data/headless)
  --renderer-dir D  the built renderer (default out/renderer, built by npm run build:renderer)
  --test-clock      end-to-end tests only: frozen billing clock, moved by POST /test/clock/advance`;

/** The command line and environment of `npm run headless`; throws with the usage on anything unknown. */
export function parseHostArgs(argv: string[], env: NodeJS.ProcessEnv): HostArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'renderer-dir': { type: 'string' },
      'test-clock': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const rawPort = values.port ?? env.ATLANTIC_HEADLESS_PORT ?? String(DEFAULT_HEADLESS_PORT);
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port > 65535) throw new Error(`Not a port: ${rawPort}`);
  return {
    port,
    dataDir: values['data-dir'] ?? '.data/headless',
    rendererDir: values['renderer-dir'] ?? 'out/renderer',
    testClock: values['test-clock'],
  };
}
