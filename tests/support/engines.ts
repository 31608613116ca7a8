import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { openDatabase } from '../../server/db/open.ts';
import type { Db, Engine } from '../../server/db/types.ts';

export const ENGINES: readonly Engine[] = ['pglite', 'postgres'];

/** A fresh, migrated database of the given engine; on PostgreSQL its own database on the shared server. */
export async function openTestDb(engine: Engine): Promise<Db> {
  if (engine === 'pglite') return openDatabase({});
  const serverUrl = inject('databaseUrl');
  if (!serverUrl) {
    throw new Error('PostgreSQL tests need DATABASE_URL or PostgreSQL 15 installed (see .ci/postgres.sh)');
  }
  const name = `atlantic_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: url.toString(), maxConnections: 20 });
  return {
    ...db,
    async close() {
      await db.close();
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
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
