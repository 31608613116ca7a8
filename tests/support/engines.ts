import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { openDatabase } from '../../server/db/open.ts';
import type { Db, Engine } from '../../server/db/types.ts';

export const ENGINES: readonly Engine[] = ['pglite', 'postgres'];

async function onServer(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** An empty database of its own on the shared PostgreSQL server, and a way to drop it. */
export async function createScratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = inject('databaseUrl');
  if (!serverUrl) {
    throw new Error('PostgreSQL tests need DATABASE_URL or PostgreSQL 15 installed (see .ci/postgres.sh)');
  }
  const name = `atlantic_test_${randomBytes(6).toString('hex')}`;
  await onServer(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
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
