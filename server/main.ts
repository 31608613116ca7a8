import { openDatabase } from './db/open.ts';
import { MeteringWorker } from './metering/worker.ts';

// Until the HTTP API lands this runs the billing core on its own: the database
// (PostgreSQL when DATABASE_URL is set, else PGlite in ATLANTIC_DATA_DIR) and the metering worker.
const db = await openDatabase({
  databaseUrl: process.env.DATABASE_URL,
  dataDir: process.env.ATLANTIC_DATA_DIR ?? '.data/billing',
});
const worker = new MeteringWorker({
  db,
  onTick: (tick) =>
    tick.sessions > 0 && console.log(JSON.stringify({ msg: 'metering tick', ...tick, charged: String(tick.charged) })),
  onError: (error) => console.error(JSON.stringify({ msg: 'metering tick failed', error: String(error) })),
});
worker.start();
console.log(JSON.stringify({ msg: 'billing service started', engine: db.engine }));

async function shutdown(): Promise<void> {
  await worker.stop();
  await db.close();
  process.exit(0);
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
