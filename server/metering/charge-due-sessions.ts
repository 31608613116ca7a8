import { instant } from '../../shared/clock.ts';
import type { Db, Queryable } from '../db/types.ts';
import { announceWalletChanges, EVERY_WALLET } from '../ledger/wallet-changes.ts';
import { CHARGE_BATCH_SQL, FOLLOW_UP_SQL } from './charge-batch.sql.ts';
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

/** What the batch's first statement charged, and the sessions it leaves to the second. */
interface Charged {
  sessions: number;
  charged: bigint;
  follow_ids: string[];
  follow_unpaid: boolean[];
  follow_lost: boolean[];
}

interface BatchResult {
  sessions: number;
  charged: bigint;
  ended: string[];
}

/** `scale`: batches of thousands (PostgreSQL); PGlite's hold one desktop user's few sessions. */
async function chargeBatch(
  tx: Queryable,
  now: number,
  span: IdRange,
  config: TickConfig,
  scale: boolean,
): Promise<BatchResult> {
  const at = new Date(now).toISOString();
  const lostBefore = new Date(now - config.heartbeatTimeoutMs).toISOString();
  if (scale) {
    // Every join of the batch is by hash over the batch's own rows. A nested loop was the planner's
    // choice when it misjudged a span at one row, and met each session with every row of the
    // batch (5,000 × 5,000 comparisons: 1 s a batch, minutes a tick at 1,000,000 sessions).
    // JIT compiling a statement that runs a few hundred ms took longer than running it.
    await tx.query('SET LOCAL enable_nestloop = off');
    await tx.query('SET LOCAL jit = off');
  }
  const { rows } = await tx.query<Charged>(CHARGE_BATCH_SQL, [at, lostBefore, span.after, span.last]);
  const charged = rows[0]!;
  let [paid, ended] = [charged.charged, [] as string[]];
  if (charged.follow_ids.length > 0) {
    const { rows: settled } = await tx.query<{ charged: bigint; ended: string[] }>(FOLLOW_UP_SQL, [
      at,
      charged.follow_ids,
      charged.follow_unpaid,
      charged.follow_lost,
    ]);
    // Less what the balances of unpaid sessions could not pay (a charge ≤ 0 here).
    paid += settled[0]!.charged;
    ended = settled[0]!.ended;
  }
  const batch = { sessions: charged.sessions, charged: paid, ended };
  // The ledger announced the wallets to other processes; this process's own listeners hear it here.
  if (batch.sessions > 0) await announceWalletChanges(tx, EVERY_WALLET);
  return batch;
}

// User ids are random, so the live sessions of 1/64 of the users, times 64, size the batches
// well enough (±3% at 100,000) for a sliver of the cost of counting them all (80 ms there).
const SAMPLE_PARTS = 64;
// Below this many in the sample (about 64,000 live sessions in all), they are counted exactly.
const EXACT_BELOW = 1_000;

async function estimateLiveSessions(db: Db): Promise<number> {
  const { rows } = await db.query<{ live: number }>(
    `SELECT count(*)::int AS live FROM proxy_sessions WHERE status = 'active' AND user_id <= $1::uuid`,
    [idRanges(SAMPLE_PARTS)[0]!.last],
  );
  const sampled = rows[0]!.live;
  if (sampled >= EXACT_BELOW) return sampled * SAMPLE_PARTS;
  // Few enough to count them all, cheaply: a small service's batches are then sized exactly.
  const { rows: all } = await db.query<{ live: number }>(
    `SELECT count(*)::int AS live FROM proxy_sessions WHERE status = 'active'`,
  );
  return all[0]!.live;
}

/**
 * One metering tick at time `now`: charges every live session what it owes, in
 * batches of about `batchSize`, each batch one transaction of one set-based
 * statement, and a second for the few sessions that end or post a usage line.
 * A batch is the sessions of a span of user ids rather than the next N sessions,
 * so one statement can find, lock and charge its sessions in a single pass, and
 * no two batches of a tick share a wallet; user ids are random, so equal spans hold about
 * as many sessions each. Batch loops take spans from one queue, so none idles
 * while another finishes a long share.
 * A session another worker is charging is waited for and then found no longer
 * due, so any number of workers may tick at once.
 */
export async function chargeDueSessions(
  db: Db,
  now: number,
  config: TickConfig = DEFAULT_METERING,
): Promise<TickResult> {
  instant(now);
  const result: TickResult = { sessions: 0, charged: 0n, ended: [], batches: 0 };
  // PGlite serves one desktop user: all their sessions are one batch, with no query to size it.
  const live = db.engine === 'postgres' ? await estimateLiveSessions(db) : 0;
  const spans = idRanges(Math.max(1, Math.ceil(live / config.batchSize)));

  async function loop(): Promise<void> {
    for (let span = spans.shift(); span; span = spans.shift()) {
      const batch = await db.transaction((tx) => chargeBatch(tx, now, span, config, db.engine === 'postgres'));
      result.sessions += batch.sessions;
      result.charged += batch.charged;
      result.ended.push(...batch.ended);
      if (batch.sessions > 0) result.batches += 1;
    }
  }

  // PGlite is one connection: parallel loops would only queue behind each other.
  const parallel = Math.max(1, config.parallelBatches ?? DEFAULT_METERING.parallelBatches);
  const loops = db.engine === 'postgres' ? Math.min(parallel, spans.length) : 1;
  await Promise.all(Array.from({ length: loops }, loop));
  return result;
}
