import { afterAll, beforeAll, describe, inject } from 'vitest';
import { openDatabase } from '../../server/db/open.ts';
import type { Db, Engine } from '../../server/db/types.ts';
import { createDatabaseOn } from './scratch-server.ts';

export const ENGINES: readonly Engine[] = ['pglite', 'postgres'];

/** An empty database of its own on the shared PostgreSQL server, and a way to drop it. */
export async function createScratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = inject('databaseUrl');
  if (!serverUrl) {
    throw new Error('PostgreSQL tests need DATABASE_URL or PostgreSQL 15 installed (see .ci/postgres.sh)');
  }
  return createDatabaseOn(serverUrl, 'atlantic_test');
}

/** A fresh, migrated database of the given engine; on PostgreSQL its own database on the shared server. */
export async function openTestDb(engine: Engine): Promise<Db> {
  if (engine === 'pglite') return openDatabase({});
  const scratch = await createScratchDatabase();
  const db = await openDatabase({ databaseUrl: scratch.url, maxConnections: 20 });
  return {
    ...db,
    async close() {
      await db.close();
      await scratch.drop();
    },
  };
}

/**
 * Runs a suite once per engine, with the engine in every test's name. The
 * callback gets a getter for the suite's database, opened before its tests.
 */
export function describeEachEngine(
  title: string,
  suite: (db: () => Db, engine: Engine) => void,
  engines: readonly Engine[] = ENGINES,
): void {
  for (const engine of engines) {
    describe(`${title} [${engine}]`, () => {
      let db: Db | undefined;
      beforeAll(async () => {
        db = await openTestDb(engine);
      });
      afterAll(async () => {
        await db?.close();
      });
      suite(() => {
        if (!db) throw new Error(`the ${engine} database did not open`);
        return db;
      }, engine);
    });
  }
}
