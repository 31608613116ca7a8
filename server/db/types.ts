/** The one small interface the rest of the server uses, on PGlite or PostgreSQL alike. */
export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

export interface QueryOptions {
  /**
   * Prepares the statement once per connection under this name and reuses its
   * plan: for the hottest queries, whose planning costs more than running them.
   * (PGlite plans every query; the name is ignored there.)
   */
  name?: string;
}

export interface Queryable {
  query<Row = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<QueryResult<Row>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * NOTIFY `channel` once per payload when the transaction commits (at once
   * outside a transaction): to every process listening on the database, and to
   * this process's own `listen`ers synchronously after COMMIT, before
   * `transaction` resolves. A listener in this process may hear a payload twice.
   */
  notify(channel: string, payloads: readonly string[]): Promise<void>;
}

export type Engine = 'pglite' | 'postgres';

export interface Db extends Queryable {
  readonly engine: Engine;
  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Calls `onMessage` for every NOTIFY on `channel` (from any process on a shared
   * PostgreSQL server). Resolves once listening; the result stops it.
   */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
