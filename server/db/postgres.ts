import pg from 'pg';
import { LocalChannels, NOTIFY_SQL, type Notification } from './local-channels.ts';
import type { Db, Queryable, QueryOptions, QueryResult } from './types.ts';

const INT8_OID = 20;

// Money columns are bigint: parse them as BigInt, never as a lossy Number.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID
      ? (value: string) => BigInt(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

// Serialization failures and deadlocks are safe to retry: the transaction did nothing.
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

/** `notified` gets what `notify` sent once it is committed: at once on the pool, after COMMIT in a transaction. */
function wrap(client: pg.Pool | pg.PoolClient, notified: (notifications: Notification[]) => void): Queryable {
  return {
    async query<Row>(
      sql: string,
      params: readonly unknown[] = [],
      options: QueryOptions = {},
    ): Promise<QueryResult<Row>> {
      const result = await client.query({ text: sql, values: params as unknown[], name: options.name });
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? result.rows.length };
    },
    async exec(sql: string): Promise<void> {
      // Without parameters node-postgres uses the simple protocol, which runs several statements.
      await client.query(sql);
    },
    async notify(channel: string, payloads: readonly string[]): Promise<void> {
      if (payloads.length === 0) return;
      await client.query({ text: NOTIFY_SQL, values: [channel, payloads], name: 'notify' });
      notified(payloads.map((payload) => ({ channel, payload })));
    },
  };
}

export interface PostgresOptions {
  maxConnections?: number | undefined;
  onIdleError?: ((error: Error) => void) | undefined;
}

/** The operator's engine: a PostgreSQL server shared by any number of service processes. */
export async function openPostgres(connectionString: string, options: PostgresOptions = {}): Promise<Db> {
  const pool = new pg.Pool({ connectionString, max: options.maxConnections ?? 10, types });
  // An idle connection the server closed (restart, failover) must not crash the
  // process: the pool drops it and opens a new one on the next query.
  pool.on('error', (error) => options.onIdleError?.(error));
  // Fail at start-up, not on the first request, when the server is unreachable.
  await pool.query('SELECT 1');
  const local = new LocalChannels();
  const self = wrap(pool, (notifications) => local.deliver(notifications));

  async function transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await pool.connect();
      const committed: Notification[] = [];
      try {
        await client.query('BEGIN');
        const result = await work(wrap(client, (notifications) => committed.push(...notifications)));
        await client.query('COMMIT');
        local.deliver(committed);
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        const code = (error as { code?: string }).code;
        if (attempt < MAX_ATTEMPTS && code !== undefined && RETRYABLE.has(code)) continue;
        throw error;
      } finally {
        client.release();
      }
    }
  }

  // Each listener holds one connection of its own outside the pool, as LISTEN is per connection.
  async function listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>> {
    const client = new pg.Client({ connectionString, types });
    client.on('error', (error) => options.onIdleError?.(error));
    client.on('notification', (message) => {
      if (message.channel === channel) onMessage(message.payload ?? '');
    });
    await client.connect();
    await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
    listeners.add(client);
    const stopLocal = local.add(channel, onMessage);
    return async () => {
      stopLocal();
      listeners.delete(client);
      await client.end();
    };
  }
  const listeners = new Set<pg.Client>();

  async function close(): Promise<void> {
    await Promise.all([...listeners].map((client) => client.end()));
    listeners.clear();
    await pool.end();
  }

  return { engine: 'postgres', query: self.query, exec: self.exec, notify: self.notify, transaction, listen, close };
}
