import type { FastifyServerOptions } from 'fastify';
import { systemClock, type Clock } from '../shared/clock.ts';
import type { ServiceConfig } from './config.ts';
import { openDatabase } from './db/open.ts';
import type { Db } from './db/types.ts';
import { startGateway, type Gateway } from './gateway/gateway.ts';
import { presenceEvidence } from './gateway/gateway-presence.ts';
import type { App } from './http/app-types.ts';
import { buildApp } from './http/app.ts';
import { loadExitSupply, type ExitSupply } from './locations/exit-supply.ts';
import { ExhaustionWatch } from './metering/exhaustion-watch.ts';
import { EVERY_WALLET, onWalletChanges } from './ledger/wallet-changes.ts';
import { MeteringWorker } from './metering/worker.ts';
import { PaymentExpiryWorker } from './payments/expiry-worker.ts';

export interface Service {
  app: App;
  db: Db;
  worker: MeteringWorker;
  /** The proxy gateway running in this process; undefined when gateways run on their own. */
  gateway: Gateway | undefined;
  /** Where the API listens, e.g. http://127.0.0.1:8787. */
  url: string;
  /** Graceful: stop accepting, finish in-flight requests, close tunnels, one final tick, close the database. */
  close(): Promise<void>;
}

export interface ServiceOptions {
  clock?: Clock;
  logger?: FastifyServerOptions['logger'];
  /** Overrides the exits file named in the config. */
  exits?: ExitSupply;
  /** Start the interval worker (tests drive ticks themselves). */
  meter?: boolean;
}

/** The billing service: database (migrated), HTTP API, proxy gateway and metering worker, started together. */
export async function startService(config: ServiceConfig, options: ServiceOptions = {}): Promise<Service> {
  const clock = options.clock ?? systemClock;
  // A bad exits file stops start-up before anything else is opened.
  const exits = options.exits ?? (await loadExitSupply(config.exitsFile));
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    maxConnections: config.databasePoolSize,
  });
  let gateway: Gateway | undefined;
  // Our own gateway is up for as long as this process is; gateways of their own say so in the database.
  let gatewayStartedAt: number | null = null;
  const gatewayUpSince = config.gateway.embedded
    ? async () => gatewayStartedAt
    : presenceEvidence(db, () => clock.now(), 2 * config.gateway.sweepIntervalMs);
  const metering = options.meter !== false;
  let watch: ExhaustionWatch | undefined;
  const app = await buildApp(
    {
      db,
      config,
      clock,
      exits,
      gatewayAddress: () => ({ host: config.gateway.host, port: gateway?.port ?? config.gateway.port }),
      gatewayUpSince,
      sessionsChanged: (userId) => void watch?.check(userId),
    },
    options.logger ?? false,
  );
  if (metering) {
    watch = new ExhaustionWatch({
      db,
      clock,
      config: config.metering,
      gatewayUpSince,
      onEnded: (ended) => app.log.info({ ended }, 'balance spent: sessions ended'),
      onError: (error) => app.log.error({ err: error }, 'exhaustion check failed'),
    });
  }
  const worker = new MeteringWorker({
    db,
    clock,
    config: config.metering,
    onTick: (tick) => {
      if (tick.sessions > 0) app.log.info({ ...tick, charged: tick.charged.toString() }, 'metering tick');
      watch?.scan().catch((error: unknown) => app.log.error({ err: error }, 'exhaustion scan failed'));
    },
    onError: (error) => app.log.error({ err: error }, 'metering tick failed'),
  });
  try {
    if (config.gateway.embedded) {
      gateway = await startGateway({
        db,
        exits,
        host: config.gateway.listenHost,
        port: config.gateway.port,
        sweepIntervalMs: config.gateway.sweepIntervalMs,
        allowedCidrs: config.gateway.allowedCidrs,
        log: app.log.child({ component: 'gateway' }),
        now: () => clock.now(),
      });
      gatewayStartedAt = clock.now();
      app.log.info({ gateway: `${gateway.host}:${gateway.port}`, exit: exits.exit.kind }, 'gateway started');
    }
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await gateway?.close();
    await db.close();
    throw error;
  }
  const expiry = new PaymentExpiryWorker({
    db,
    clock,
    onError: (error) => app.log.error({ err: error }, 'payment expiry failed'),
  });
  let stopWalletWatch: (() => Promise<void>) | undefined;
  if (metering) {
    worker.start();
    expiry.start();
    // A purchase, refund or adjustment moves a user's exhaustion moment.
    stopWalletWatch = await onWalletChanges(db, (userId) => {
      if (userId !== EVERY_WALLET) void watch?.check(userId);
    });
    await watch?.scan();
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;

  let closing: Promise<void> | undefined;
  return {
    app,
    db,
    worker,
    gateway,
    url: `http://${config.host}:${port}`,
    close: () =>
      (closing ??= (async () => {
        await app.close();
        await gateway?.close();
        await stopWalletWatch?.();
        watch?.stop();
        expiry.stop();
        await worker.stop();
        await db.close();
      })()),
  };
}
