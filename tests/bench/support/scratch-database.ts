import { openDatabase } from '../../../server/db/open.ts';
import type { Db } from '../../../server/db/types.ts';
import { createDatabaseOn } from '../../support/scratch-server.ts';
import { UsageError } from './usage-error.ts';

/** The PostgreSQL server benches run against; they never fall back to PGlite. */
export function benchServerUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new UsageError(
      'benches need PostgreSQL: set DATABASE_URL to a server they may create databases on, ' +
        'e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench -- metering',
    );
  }
  return url;
}

export interface ScratchDatabase {
  /** Migrated, through the server's own `openDatabase`. */
  db: Db;
  /** Its URL, for a bench that needs a connection of its own. */
  url: string;
  name: string;
}

/**
 * Runs `work` on a fresh database created on the server under a random name,
 * and drops it afterwards, whether `work` succeeds, throws or is interrupted.
 */
export async function withScratchDatabase<T>(
  serverUrl: string,
  work: (scratch: ScratchDatabase) => Promise<T>,
): Promise<T> {
  const { name, url, drop } = await createDatabaseOn(serverUrl, 'atlantic_bench');
  // Ctrl-C would skip `finally`: a 100,000-user database must not be left behind.
  const interrupted = (signal: NodeJS.Signals) => {
    void drop().finally(() => {
      console.error(`interrupted by ${signal}: dropped the scratch database ${name}`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  };
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  try {
    const db = await openDatabase({ databaseUrl: url });
    try {
      return await work({ db, url, name });
    } finally {
      await db.close();
    }
  } finally {
    process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
    await drop();
  }
}
