import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { types } from '@electric-sql/pglite';
import { LocalChannels, NOTIFY_SQL, type Notification } from './local-channels.ts';
import type { Db, Queryable, QueryResult } from './types.ts';

interface PgliteQueryable {
  query<Row>(sql: string, params?: unknown[]): Promise<{ rows: Row[]; affectedRows?: number }>;
  exec(sql: string): Promise<unknown>;
}

/** `notified` gets what `notify` sent once it is committed: at once outside a transaction, after COMMIT in one. */
function wrap(target: PgliteQueryable, notified: (notifications: Notification[]) => void): Queryable {
  return {
    async query<Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
      const result = await target.query<Row>(sql, [...params]);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    },
    async exec(sql: string): Promise<void> {
      await target.exec(sql);
    },
    async notify(channel: string, payloads: readonly string[]): Promise<void> {
      if (payloads.length === 0) return;
      await target.query(NOTIFY_SQL, [channel, [...payloads]]);
      notified(payloads.map((payload) => ({ channel, payload })));
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
  const local = new LocalChannels();
  const self = wrap(pg, (notifications) => local.deliver(notifications));
  return {
    engine: 'pglite',
    query: self.query,
    exec: self.exec,
    notify: self.notify,
    async transaction(work) {
      const committed: Notification[] = [];
      const result = await pg.transaction((tx) => work(wrap(tx, (notifications) => committed.push(...notifications))));
      local.deliver(committed);
      return result;
    },
    listen: async (channel, onMessage) => {
      const stop = await pg.listen(channel, onMessage);
      const stopLocal = local.add(channel, onMessage);
      return async () => {
        stopLocal();
        await stop();
      };
    },
    close: () => pg.close(),
  };
}
