import type { Db, Queryable } from '../db/types.ts';
import { announceWalletChanges, EVERY_WALLET } from '../ledger/wallet-changes.ts';
import { CHARGE_BATCH_SQL, CHARGE_REST_SQL } from './charge-batch.sql.ts';
import { DEFAULT_METERING, type MeteringConfig } from './config.ts';
import { idRanges, type IdRange } from './id-ranges.ts';

export interface TickResult {
  /** Sessions metered in this tick. */
  sessions: number;
  /** µcr charged in this tick. */
  charged: bigint;
  /** Sessions this tick ended, by id. */
  ended: string[];
  batches: number;
}

type TickConfig = Pick<MeteringConfig, 'heartbeatTimeoutMs' | 'batchSize'> &
  Partial<Pick<MeteringConfig, 'parallelBatches'>>;

interface BatchResult {
  sessions: number;
  charged: bigint;
  ended: string[];
}

interface FastBatchResult extends BatchResult {
  /** Sessions the batch took from its range (its `sessions` plus `rest`). */
  due: number;
  last_id: string | null;
  /** Sessions of users the fast path could not debit in full, still locked. */
  rest: string[];
}

async function chargeBatch(
  tx: Queryable,
  now: number,
  range: IdRange,
  config: TickConfig,
): Promise<Omit<FastBatchResult, 'rest'>> {
  const at = new Date(now).toISOString();
  const lostBefore = new Date(now - config.heartbeatTimeoutMs).toISOString();
  const { rows } = await tx.query<FastBatchResult>(CHARGE_BATCH_SQL, [
    at,
    lostBefore,
    config.batchSize,
    range.after,
    range.last,
  ]);
  const { rest, ...batch } = rows[0]!;
  if (rest.length > 0) {
    const { rows: restRows } = await tx.query<BatchResult>(CHARGE_REST_SQL, [at, lostBefore, rest]);
    const more = restRows[0]!;
    batch.sessions += more.sessions;
    batch.charged += more.charged;
    batch.ended = [...batch.ended, ...more.ended];
  }
  // A tick touches most wallets at once: one notice that they all changed, not one per user.
  if (batch.sessions > 0) await announceWalletChanges(tx, EVERY_WALLET);
  return batch;
}

/**
 * One metering tick at time `now`: charges every live session what it owes, in
 * batches of `batchSize`, each batch one transaction of one set-based statement
 * (two when some user's balance cannot cover all their sessions owe).
 * Sessions another worker holds are skipped (it is charging them), so any number
 * of workers — and several batch loops of one worker — may tick at once.
 */
export async function chargeDueSessions(
  db: Db,
  now: number,
  config: TickConfig = DEFAULT_METERING,
): Promise<TickResult> {
  const result: TickResult = { sessions: 0, charged: 0n, ended: [], batches: 0 };

  async function loop(range: IdRange): Promise<void> {
    for (;;) {
      const batch = await db.transaction((tx) => chargeBatch(tx, now, range, config));
      result.sessions += batch.sessions;
      result.charged += batch.charged;
      result.ended.push(...batch.ended);
      if (batch.sessions > 0) result.batches += 1;
      if (batch.due < config.batchSize || !batch.last_id) return;
      range = { ...range, after: batch.last_id };
    }
  }

  // PGlite is one connection: parallel loops would only queue behind each other.
  const loops = db.engine === 'postgres' ? Math.max(1, config.parallelBatches ?? DEFAULT_METERING.parallelBatches) : 1;
  await Promise.all(idRanges(loops).map(loop));
  return result;
}
