import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { types } from '@electric-sql/pglite';
import type { Db, Queryable, QueryResult } from './types.ts';

interface PgliteQueryable {
  query<Row>(sql: string, params?: unknown[]): Promise<{ rows: Row[]; affectedRows?: number }>;
  exec(sql: string): Promise<unknown>;
}

function wrap(target: PgliteQueryable): Queryable {
  return {
    async query<Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
      const result = await target.query<Row>(sql, [...params]);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    },
    async exec(sql: string): Promise<void> {
      await target.exec(sql);
    },
  };
}

/**
 * The embedded engine: PostgreSQL compiled to WebAssembly, in this process.
 * `dataDir` keeps the data on disk; without it the database lives in memory.
 * PGlite is a single connection, so its transactions run one at a time.
 */
export async function openPglite(dataDir?: string): Promise<Db> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  // Money columns are bigint: always BigInt, never a Number that is exact only when small.
  const pg = await PGlite.create(dataDir, { parsers: { [types.INT8]: (value: string) => BigInt(value) } });
  const self = wrap(pg);
  return {
    engine: 'pglite',
    query: self.query,
    exec: self.exec,
    transaction: (work) => pg.transaction((tx) => work(wrap(tx))),
    listen: async (channel, onMessage) => {
      const stop = await pg.listen(channel, onMessage);
      return async () => stop();
    },
    close: () => pg.close(),
  };
}
