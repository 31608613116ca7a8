import { pino } from 'pino';
import { headlessCore } from './headless-core.ts';
import { RendererMissingError, startHeadlessHost } from './headless-host.ts';
import { parseHostArgs, USAGE } from './host-args.ts';

// `npm run headless`: the client without Electron, for Linux machines without a
// desktop and for the end-to-end tests. Logs go to stderr; the address to open to stdout.
const log = pino({ name: 'headless', level: process.env.LOG_LEVEL ?? 'info' }, pino.destination(2));

let args;
try {
  args = parseHostArgs(process.argv.slice(2), process.env);
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  process.exit(2);
}

let host;
try {
  host = await startHeadlessHost({
    createCore: headlessCore({ dataDir: args.dataDir, testClock: args.testClock }),
    rendererDir: args.rendererDir,
    port: args.port,
    testClock: args.testClock,
    log,
  });
} catch (error) {
  // A missing build is the user's next step, not a crash: the message alone says what to run.
  if (error instanceof RendererMissingError) console.error(error.message);
  else log.error({ err: error }, 'headless host failed to start');
  process.exit(1);
}

console.log(`Atlantic Proxy is running. Open: ${host.url}`);
if (args.testClock) log.warn('test clock on: POST /test/clock/advance moves billing time (end-to-end tests only)');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log.info({ signal }, 'shutting down: disconnecting and stopping billing');
    host.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
