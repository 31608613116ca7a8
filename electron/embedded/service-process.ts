import { startEmbeddedService, type EmbeddedService } from '../../server/embedded.ts';
import { TEST_CLOCK_ENV, toServiceSchema, type ToService } from '../core/embedded/service-protocol.ts';
import { parentChannel } from './parent-channel.ts';
import { testClockFrom } from './test-clock.ts';

// The embedded billing process: the billing service and gateway on PGlite, in a
// process of their own (Electron utilityProcess in the app, child_process.fork
// in the headless host and tests) so proxy traffic and metering never block the
// window or the tray. Plain Node; ATLANTIC_DATA_DIR names the data folder.
// It answers `ready` or `failed`, and stops cleanly (final tick, database
// closed) on `stop`, SIGTERM or the app going away.

const channel = parentChannel();
const testClock = testClockFrom(process.env[TEST_CLOCK_ENV]);

let service: EmbeddedService | undefined;
let starting: Promise<unknown> = Promise.resolve();
let stopping: Promise<void> | undefined;

function failureOf(error: unknown): { code: string; message: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return {
    code: typeof code === 'string' ? code : 'start_failed',
    message: error instanceof Error ? error.message : String(error),
  };
}

function stop(): Promise<void> {
  return (stopping ??= (async () => {
    // A stop during start-up waits for it, so the database is never left half open.
    await starting.catch(() => undefined);
    try {
      await service?.close();
      process.exit(0);
    } catch (error) {
      console.error('embedded billing: shutdown failed', error);
      process.exit(1);
    }
  })());
}

/** Clock and tick requests exist for end-to-end tests only, and only with the test clock on. */
async function answer(request: Exclude<ToService, { type: 'stop' }>): Promise<void> {
  const refuse = (code: string, message: string) =>
    channel.post({ type: 'reply', id: request.id, error: { code, message } });
  if (!testClock)
    return refuse('test_clock_disabled', `start the service with ${TEST_CLOCK_ENV}=1 (or frozen) to control its clock`);
  if (request.type === 'clock.advance') {
    return channel.post({ type: 'reply', id: request.id, now: testClock.advance(request.ms) });
  }
  if (!service || stopping) return refuse('not_running', 'the service is not running');
  try {
    await service.tick();
    return channel.post({ type: 'reply', id: request.id, now: testClock.now() });
  } catch (error) {
    const { code, message } = failureOf(error);
    return refuse(code, message);
  }
}

channel.onMessage((raw) => {
  const parsed = toServiceSchema.safeParse(raw);
  if (!parsed.success) return;
  if (parsed.data.type === 'stop') void stop();
  else void answer(parsed.data);
});
channel.onGone(() => void stop());
process.once('SIGTERM', () => void stop());
// Ctrl-C in a terminal reaches the whole process group: the app handles it, disconnects
// the live session through this service first, and then says stop.
process.on('SIGINT', () => undefined);

async function start(): Promise<void> {
  const dataDir = process.env.ATLANTIC_DATA_DIR;
  if (!dataDir) throw Object.assign(new Error('ATLANTIC_DATA_DIR must name the data folder'), { code: 'no_data_dir' });
  service = await startEmbeddedService({ dataDir, env: process.env, ...(testClock ? { clock: testClock } : {}) });
  if (stopping) return;
  await channel.post({ type: 'ready', url: service.url, token: service.token, gateway: service.gateway });
}

starting = start().catch(async (error: unknown) => {
  if (stopping) return;
  await channel.post({ type: 'failed', ...failureOf(error) });
  process.exit(1);
});
