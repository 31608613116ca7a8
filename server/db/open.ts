import { migrate } from './migrate.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';
import type { Db } from './types.ts';

export interface DatabaseConfig {
  /** PostgreSQL when set; otherwise the embedded PGlite engine. */
  databaseUrl?: string | undefined;
  /** PGlite's data folder; in memory when unset. */
  dataDir?: string | undefined;
  maxConnections?: number | undefined;
}

/** Opens the configured engine and brings its schema up to date. */
export async function openDatabase(config: DatabaseConfig): Promise<Db> {
  const db = config.databaseUrl
    ? await openPostgres(config.databaseUrl, { maxConnections: config.maxConnections })
    : await openPglite(config.dataDir);
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
