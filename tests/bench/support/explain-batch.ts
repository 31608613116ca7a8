import type { Db } from '../../../server/db/types.ts';
import { CHARGE_BATCH_SQL } from '../../../server/metering/charge-batch.sql.ts';
import { idRanges } from '../../../server/metering/id-ranges.ts';

export interface BatchPlan {
  plan: 'custom' | 'generic';
  ms: number;
  /** The top nodes of each step of the statement, with their actual times. */
  steps: string[];
}

const STEP = /^\s{0,6}(CTE \w+|-> {2}\w[\w ]*?(?= on | \(|$)|Execution Time)/;

/**
 * EXPLAIN ANALYZE of the tick's first batch at `now`, as a custom plan (what the
 * tick runs: an unnamed statement planned with its parameters) and as a generic
 * one (a prepared statement planned once for any span), each rolled back.
 */
export async function explainBatch(db: Db, now: number, batches: number): Promise<BatchPlan[]> {
  const span = idRanges(batches)[0]!;
  const params = [new Date(now).toISOString(), new Date(now - 120_000).toISOString(), span.after, span.last];
  const plans: BatchPlan[] = [];
  for (const plan of ['custom', 'generic'] as const) {
    const lines = await db
      .transaction(async (tx) => {
        await tx.query('SET LOCAL enable_nestloop = off');
        await tx.query('SET LOCAL jit = off');
        let rows: { 'QUERY PLAN': string }[];
        if (plan === 'custom') {
          ({ rows } = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE) ${CHARGE_BATCH_SQL}`, params));
        } else {
          await tx.query('SET LOCAL plan_cache_mode = force_generic_plan');
          await tx.exec(`PREPARE bench_batch (timestamptz, timestamptz, uuid, uuid) AS ${CHARGE_BATCH_SQL}`);
          const literal = params.map((p) => `'${p}'`).join(', ');
          ({ rows } = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE) EXECUTE bench_batch (${literal})`));
        }
        throw new Rollback(rows.map((r) => r['QUERY PLAN']));
      })
      .catch((error: unknown) => {
        if (error instanceof Rollback) return error.lines;
        throw error;
      });
    const total = lines.find((l) => l.startsWith('Execution Time'));
    plans.push({
      plan,
      ms: Number(/([\d.]+) ms/.exec(total ?? '')?.[1] ?? NaN),
      steps: lines
        .filter((l) => STEP.test(l) && !l.startsWith('Execution'))
        .map((l) => l.replace(/\(cost=[^)]*\) /, '')),
    });
  }
  return plans;
}

class Rollback extends Error {
  constructor(readonly lines: string[]) {
    super('rollback');
  }
}
