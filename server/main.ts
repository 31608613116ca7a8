import { loadConfig } from './config.ts';
import { signInLocalAccount } from './embedded.ts';
import { startService } from './service.ts';

// `npm run server`: the billing service standalone on PostgreSQL when
// DATABASE_URL is set, else embedded PGlite in ATLANTIC_DATA_DIR. JSON logs on stdout.
const config = loadConfig();
const service = await startService(config, { logger: { level: config.logLevel } });
service.app.log.info(
  { url: service.url, engine: service.db.engine, embedded: config.embedded },
  'billing service started',
);

// Tools on this machine read the token file to sign in as its one local user.
if (config.embedded) await signInLocalAccount(service, config);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    service.app.log.info({ signal }, 'shutting down');
    service.close().then(
      () => process.exit(0),
      (error: unknown) => {
        service.app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
