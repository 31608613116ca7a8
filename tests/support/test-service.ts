import { loadConfig, type ServiceConfig } from '../../server/config.ts';
import type { Engine } from '../../server/db/types.ts';
import { startService, type Service } from '../../server/service.ts';
import { createScratchDatabase } from './engines.ts';
import { FakeClock } from './fake-clock.ts';
import { LOCAL_ORIGIN_CIDRS } from './origins.ts';
import { createDatabaseOn } from './scratch-server.ts';

export interface TestService extends Service {
  clock: FakeClock;
  config: ServiceConfig;
  /** Calls the running service over real HTTP and parses the JSON answer. */
  call(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

/**
 * The real billing service (and its gateway) on free loopback ports, on a fresh
 * database of the given engine, with a fake clock and the interval worker off: tests tick it.
 * Its gateway reaches the tests' loopback origins (GATEWAY_ALLOW_CIDRS) unless `env` says otherwise.
 */
export async function startTestService(
  engine: Engine,
  env: Record<string, string> = {},
  /** The PostgreSQL server to make the scratch database on, outside vitest (benches); inside, the suite's. */
  serverUrl?: string,
): Promise<TestService> {
  const onServer = serverUrl ? () => createDatabaseOn(serverUrl, 'atlantic_test') : createScratchDatabase;
  const scratch = engine === 'postgres' ? await onServer() : undefined;
  const config: ServiceConfig = {
    ...loadConfig({
      PORT: '0',
      GATEWAY_PORT: '0',
      LOG_LEVEL: 'silent',
      GATEWAY_ALLOW_CIDRS: LOCAL_ORIGIN_CIDRS,
      ...env,
    }),
    databaseUrl: scratch?.url,
    dataDir: undefined,
    embedded: false,
  };
  const clock = new FakeClock();
  const service = await startService(config, { clock, meter: false });
  return {
    ...service,
    clock,
    config,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let body: string | undefined = options.raw;
      if (options.body !== undefined) body = JSON.stringify(options.body);
      if (body !== undefined) headers['content-type'] ??= 'application/json';
      const response = await fetch(service.url + path, { method, headers, body });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON (e.g. the sandbox checkout page): keep the text
      }
      return { status: response.status, body: parsed };
    },
    async stop() {
      await service.close();
      await scratch?.drop();
    },
  };
}
