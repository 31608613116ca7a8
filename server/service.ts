import type { FastifyServerOptions } from 'fastify';
import type { CountryView } from '../shared/api/locations.ts';
import { systemClock, type Clock } from '../shared/clock.ts';
import type { ServiceConfig } from './config.ts';
import { openDatabase } from './db/open.ts';
import type { Db } from './db/types.ts';
import type { App } from './http/app-types.ts';
import { buildApp } from './http/app.ts';
import { DEFAULT_CATALOG } from './locations/default-catalog.ts';
import { MeteringWorker } from './metering/worker.ts';

export interface Service {
  app: App;
  db: Db;
  worker: MeteringWorker;
  /** Where the API listens, e.g. http://127.0.0.1:8787. */
  url: string;
  /** Graceful: stop accepting, finish in-flight requests, one final tick, close the database. */
  close(): Promise<void>;
}

export interface ServiceOptions {
  clock?: Clock;
  logger?: FastifyServerOptions['logger'];
  catalog?: readonly CountryView[];
  /** Start the interval worker (tests drive ticks themselves). */
  meter?: boolean;
}

/** The billing service: database (migrated), HTTP API and metering worker, started together. */
export async function startService(config: ServiceConfig, options: ServiceOptions = {}): Promise<Service> {
  const clock = options.clock ?? systemClock;
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const app = await buildApp(
    { db, config, clock, catalog: options.catalog ?? DEFAULT_CATALOG },
    options.logger ?? false,
  );
  const worker = new MeteringWorker({
    db,
    clock,
    config: config.metering,
    onTick: (tick) => {
      if (tick.sessions > 0) app.log.info({ ...tick, charged: tick.charged.toString() }, 'metering tick');
    },
    onError: (error) => app.log.error({ err: error }, 'metering tick failed'),
  });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await db.close();
    throw error;
  }
  if (options.meter !== false) worker.start();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;

  let closing: Promise<void> | undefined;
  return {
    app,
    db,
    worker,
    url: `http://${config.host}:${port}`,
    close: () =>
      (closing ??= (async () => {
        await app.close();
        await worker.stop();
        await db.close();
      })()),
  };
}
