import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Clock } from '../shared/clock.ts';
import { ensureLocalAccount } from './accounts/local-account.ts';
import { loadConfig, type ServiceConfig } from './config.ts';
import { startService, type Service } from './service.ts';

// The server's public entry for embedding: the desktop app (and its headless
// host) import this and nothing else of server/.

const LOOPBACK = '127.0.0.1';

export interface EmbeddedOptions {
  /** PGlite's data folder, e.g. under the app's user-data folder. Created if missing. */
  dataDir: string;
  /** The service's clock; the system clock unless an end-to-end test hands in a controllable one. */
  clock?: Clock;
  /**
   * Further settings as the service's environment variables (LOG_LEVEL,
   * METERING_TICK_MS, ATLANTIC_EXITS_FILE…). What makes it embedded always wins:
   * PGlite in dataDir, loopback on free ports, the sandbox provider, one local account.
   */
  env?: Record<string, string | undefined>;
}

export interface EmbeddedService {
  /** Where the API listens, e.g. http://127.0.0.1:41234. */
  url: string;
  /** A bearer token of the machine's one local account. */
  token: string;
  /** Where the proxy gateway listens. */
  gateway: { host: string; port: number };
  /** One metering tick now (end-to-end tests; the worker ticks on its own otherwise). */
  tick(): Promise<void>;
  /** Graceful: finish requests, close tunnels, one final tick, close the database. */
  close(): Promise<void>;
}

/** Creates the local account once, hands out a fresh token and leaves it in the data folder for other tools. */
export async function signInLocalAccount(service: Service, config: ServiceConfig): Promise<string> {
  const { token } = await ensureLocalAccount(service.db, config.tokenTtlMs);
  const tokenFile = join(config.dataDir ?? '.', 'local-account.token');
  await writeFile(tokenFile, token, { mode: 0o600 });
  service.app.log.info({ tokenFile }, 'local account ready');
  return token;
}

/**
 * A free loopback port, found by binding port 0. The API needs its port before
 * it starts because checkout pages (which the system browser opens) link back to
 * PUBLIC_URL; the gateway can take port 0 itself since connect reports its bound port.
 */
async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no free loopback port');
  return address.port;
}

function embeddedConfig(options: EmbeddedOptions, port: number, gatewayPort = 0): ServiceConfig {
  return loadConfig({
    ...options.env,
    DATABASE_URL: '',
    ATLANTIC_DATA_DIR: options.dataDir,
    ATLANTIC_EMBEDDED: '1',
    HOST: LOOPBACK,
    PORT: String(port),
    PUBLIC_URL: `http://${LOOPBACK}:${port}`,
    GATEWAY_HOST: LOOPBACK,
    GATEWAY_LISTEN_HOST: LOOPBACK,
    GATEWAY_PORT: String(gatewayPort),
    GATEWAY_EMBEDDED: '1',
    PAYMENT_METHODS: 'sandbox',
  });
}

const isAddressInUse = (error: unknown) => (error as NodeJS.ErrnoException | null)?.code === 'EADDRINUSE';

/** Starts the service on a free port; another program may take it between finding and binding it, so try again. */
async function startOnFreePort(
  options: EmbeddedOptions,
  attempts = 3,
): Promise<{ service: Service; config: ServiceConfig }> {
  // A restart after a crash asks for the ports it had ("api,gateway"), so the app and its
  // tunnels find it where they left it; if another program took them, any free ones do.
  const resume = /^(\d+),(\d+)$/.exec(options.env?.ATLANTIC_RESUME_PORTS ?? '');
  for (let attempt = 1; ; attempt++) {
    const config =
      resume && attempt === 1
        ? embeddedConfig(options, Number(resume[1]), Number(resume[2]))
        : embeddedConfig(options, await freeLoopbackPort());
    try {
      const service = await startService(config, {
        logger: { level: config.logLevel },
        ...(options.clock ? { clock: options.clock } : {}),
      });
      return { service, config };
    } catch (error) {
      if (!isAddressInUse(error) || attempt >= attempts + (resume ? 1 : 0)) throw error;
    }
  }
}

/** The billing service and gateway on PGlite in `dataDir`, on loopback, signed in as the local account. */
export async function startEmbeddedService(options: EmbeddedOptions): Promise<EmbeddedService> {
  const { service, config } = await startOnFreePort(options);
  const token = await signInLocalAccount(service, config).catch(async (error: unknown) => {
    await service.close();
    throw error;
  });
  return {
    url: service.url,
    token,
    gateway: { host: service.gateway?.host ?? LOOPBACK, port: service.gateway?.port ?? 0 },
    tick: async () => {
      await service.worker.tick();
    },
    close: () => service.close(),
  };
}
