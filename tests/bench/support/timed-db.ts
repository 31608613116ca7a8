import { performance } from 'node:perf_hooks';
import type { Db, Queryable } from '../../../server/db/types.ts';

export interface StatementTime {
  /** The statement's verb and table, e.g. `UPDATE wallets`. */
  statement: string;
  calls: number;
  ms: number;
}

export interface TimedDb {
  db: Db;
  /** Time per statement, slowest first, then what the transactions spent outside statements. */
  report(): StatementTime[];
}

function statementOf(sql: string): string {
  const verb = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? '?';
  const table = /\b(?:FROM|INTO|UPDATE)\s+(\w+)/i.exec(sql)?.[1] ?? '';
  return `${verb} ${table}`.trim();
}

/**
 * Wraps a Db so a profiling run can see where a tick spends its time, statement
 * by statement; `labels` names statements by their text (else verb and table).
 * Times are summed over every connection, so with parallel transactions the
 * total can exceed the wall time.
 */
export function timeStatements(inner: Db, labels: ReadonlyMap<string, string> = new Map()): TimedDb {
  const times = new Map<string, StatementTime>();
  const record = (statement: string, ms: number) => {
    const entry = times.get(statement) ?? { statement, calls: 0, ms: 0 };
    entry.calls += 1;
    entry.ms += ms;
    times.set(statement, entry);
  };
  // `spent` collects the statement time of one transaction (its own, not its siblings').
  const timed = (target: Queryable, spent: { ms: number } = { ms: 0 }): Queryable => ({
    async query(sql, params) {
      const started = performance.now();
      try {
        return await target.query(sql, params);
      } finally {
        const ms = performance.now() - started;
        spent.ms += ms;
        record(labels.get(sql) ?? statementOf(sql), ms);
      }
    },
    exec: (sql) => target.exec(sql),
    notify: (channel, payloads) => target.notify(channel, payloads),
  });
  const db: Db = {
    ...inner,
    ...timed(inner),
    async transaction(work) {
      const started = performance.now();
      const spent = { ms: 0 };
      try {
        return await inner.transaction((tx) => work(timed(tx, spent)));
      } finally {
        record('transaction overhead + planning', performance.now() - started - spent.ms);
      }
    },
  };
  return { db, report: () => [...times.values()].sort((a, b) => b.ms - a.ms) };
}
