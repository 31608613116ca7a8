import type { Logger } from 'pino';
import type { ClientCore, CoreHost } from '../core/client-core-types.ts';

export interface HeadlessHostOptions {
  /** Builds the core once the host knows how to open pages and show notices. */
  createCore(host: CoreHost): Promise<ClientCore>;
  /** The built renderer (vite's outDir): must hold index.html. */
  rendererDir: string;
  /** Loopback port; 0 picks a free one. */
  port?: number;
  /** Adds POST /test/clock/advance, for the end-to-end tests only. */
  testClock?: boolean;
  log: Logger;
}

export interface HeadlessHost {
  /** The address to open, token included. */
  url: string;
  token: string;
  port: number;
  /** Quits the core (disconnecting, so the last partial minute is charged), then closes the server. */
  close(): Promise<void>;
}

/** The port `npm run headless` listens on unless told otherwise (billing 8787, gateway 8788). */
export const DEFAULT_HEADLESS_PORT = 8790;
