import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureLocalAccount } from './accounts/local-account.ts';
import { loadConfig } from './config.ts';
import { startService } from './service.ts';

// `npm run server` / `npm start`: the billing service on PostgreSQL when
// DATABASE_URL is set, else embedded PGlite in ATLANTIC_DATA_DIR. JSON logs on stdout.
const config = loadConfig();
const service = await startService(config, { logger: { level: config.logLevel } });
service.app.log.info(
  { url: service.url, engine: service.db.engine, embedded: config.embedded },
  'billing service started',
);

if (config.embedded) {
  // The desktop app reads this to sign in as the machine's one local user.
  const { token } = await ensureLocalAccount(service.db, config.tokenTtlMs);
  const tokenFile = join(config.dataDir ?? '.', 'local-account.token');
  await writeFile(tokenFile, token, { mode: 0o600 });
  service.app.log.info({ tokenFile }, 'local account ready');
}

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
