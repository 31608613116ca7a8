import { z } from 'zod';

// The messages between the app and its embedded billing process
// (electron/embedded/service-process.ts), over the process message channel:
// child_process IPC in Node, the parent port under Electron's utilityProcess.
// Both sides parse what arrives: a channel carries whatever the other side wrote.

/**
 * Set in the child's environment to let end-to-end tests move its clock and tick
 * its metering: `1` real time plus an offset, `frozen` still until advanced.
 * Unset (the app), clock and tick requests are refused.
 */
export const TEST_CLOCK_ENV = 'ATLANTIC_TEST_CLOCK';
/** "API port,gateway port" of the previous run: a restarted service takes them again when it can. */
export const RESUME_PORTS_ENV = 'ATLANTIC_RESUME_PORTS';

/** The test clock's modes, as ATLANTIC_TEST_CLOCK spells them. */
export const TEST_CLOCK_SETTINGS = { running: '1', frozen: 'frozen' } as const;
export type TestClockMode = keyof typeof TEST_CLOCK_SETTINGS;

const id = z.number().int().nonnegative();
const failure = { code: z.string(), message: z.string() };

/** From the app to the service process. */
export const toServiceSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('stop') }),
  /** Test clock only: move the service's clock forward by `ms`. */
  z.object({ type: z.literal('clock.advance'), id, ms: z.number().int().nonnegative() }),
  /** Test clock only: run one metering tick now. */
  z.object({ type: z.literal('tick'), id }),
]);

/** From the service process to the app. */
export const fromServiceSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ready'),
    url: z.string(),
    token: z.string(),
    gateway: z.object({ host: z.string(), port: z.number().int() }),
  }),
  z.object({ type: z.literal('failed'), ...failure }),
  /** The answer to the request with this id: the service clock's time then, or why it was refused. */
  z.object({ type: z.literal('reply'), id, now: z.number().optional(), error: z.object(failure).optional() }),
]);

export type ToService = z.infer<typeof toServiceSchema>;
export type FromService = z.infer<typeof fromServiceSchema>;
export type ServiceFailure = Extract<FromService, { type: 'failed' }>;
