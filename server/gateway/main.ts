import { pino } from 'pino';
import { loadConfig } from '../config.ts';
import { migrate } from '../db/migrate.ts';
import { openPostgres } from '../db/postgres.ts';
import { loadExitSupply } from '../locations/exit-supply.ts';
import { startGateway } from './gateway.ts';

// `npm run gateway`: one more proxy gateway beside the billing service, for
// scaling out. It shares the service's PostgreSQL (sessions, byte counts, end
// announcements) and reads the same exits file; JSON logs on stdout.
const config = loadConfig();
const log = pino({ level: config.logLevel });
if (!config.databaseUrl) {
  log.fatal('a standalone gateway needs DATABASE_URL: the embedded database belongs to one process');
  process.exit(1);
}
const exits = await loadExitSupply(config.exitsFile);
// PostgreSQL only, without loading the embedded engine: a smaller heap is cheaper to
// collect, and a relay's read buffers make V8 collect often.
const db = await openPostgres(config.databaseUrl, {
  onIdleError: (error) => log.error({ err: error }, 'idle database connection failed'),
});
await migrate(db);
const gateway = await startGateway({
  db,
  exits,
  host: config.gateway.listenHost,
  port: config.gateway.port,
  sweepIntervalMs: config.gateway.sweepIntervalMs,
  allowedCidrs: config.gateway.allowedCidrs,
  log,
});
log.info({ gateway: `${gateway.host}:${gateway.port}`, port: gateway.port, exit: exits.exit.kind }, 'gateway started');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log.info({ signal }, 'shutting down');
    gateway
      .close()
      .then(() => db.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          log.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  });
}
