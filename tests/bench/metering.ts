import { performance } from 'node:perf_hooks';
import { credits } from '../../shared/money.ts';
import type { Db } from '../../server/db/types.ts';
import { CHARGE_BATCH_SQL } from '../../server/metering/charge-batch.sql.ts';
import { chargeDueSessions } from '../../server/metering/charge-due-sessions.ts';
import { DEFAULT_METERING } from '../../server/metering/config.ts';
import { assertLedgerClean, checkChargedMinute } from './support/check-charges.ts';
import { heartbeatAll, prepareMetering, tierCounts, type MeteringFixture } from './support/metering-fixture.ts';
import { benchServerUrl, withScratchDatabase } from './support/scratch-database.ts';
import { deductLikeSeed } from './support/seed-deduct.ts';
import { timeStatements } from './support/timed-db.ts';

const SESSIONS = 100_000;
const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const FIXTURE: MeteringFixture = { users: SESSIONS, balance: credits('100'), startedAt: T0 };
// The seed's loop runs on a sample when all of it would take longer than this.
const SEED_SAMPLE = 10_000;
const SEED_BUDGET_MS = 180_000;
// A tick is timed over this many consecutive minutes and reported as their median: one tick
// is two seconds of a shared machine whose speed drifts by a third from minute to minute,
// while the seed's loop runs long enough to average that out.
const TIMED_MINUTES = 3;

const log = (line: string) => console.log(line);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fmt = (n: number | bigint) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });

async function describeServer(db: Db): Promise<void> {
  const { rows } = await db.query<{ name: string; setting: string }>(
    `SELECT name, setting FROM pg_settings
     WHERE name IN ('server_version', 'fsync', 'synchronous_commit', 'shared_buffers') ORDER BY name`,
  );
  log(`server: ${rows.map((r) => `${r.name}=${r.setting}`).join(' ')}`);
}

/** Fills a fresh database: every session one minute in and its client heartbeating. */
async function prepare(db: Db, label: string): Promise<void> {
  const started = performance.now();
  await prepareMetering(db, FIXTURE);
  const beating = await heartbeatAll(db, T0 + MINUTE);
  const ms = performance.now() - started;
  log(`[${label}] setup: ${fmt(SESSIONS)} users, wallets and live sessions, ${fmt(beating)} heartbeats: ${fmt(ms)} ms`);
}

async function benchTick(db: Db): Promise<number> {
  await describeServer(db);
  const mix = [...tierCounts(SESSIONS)].map(([tier, n]) => `${tier} ${fmt(n)}`).join(', ');
  log(`sessions by tier: ${mix}; batch size ${fmt(DEFAULT_METERING.batchSize)}`);
  await prepare(db, 'tick');

  const ticks: number[] = [];
  let charged = 0n;
  for (let minute = 1; minute <= TIMED_MINUTES; minute++) {
    const at = T0 + minute * MINUTE;
    if (minute > 1) await heartbeatAll(db, at);
    const started = performance.now();
    const tick = await chargeDueSessions(db, at);
    ticks.push(performance.now() - started);
    log(`[tick] minute ${minute}: ${fmt(tick.sessions)} sessions in ${tick.batches} batches, ${fmt(ticks.at(-1)!)} ms`);

    if (tick.ended.length > 0) throw new Error(`the tick ended ${tick.ended.length} sessions that could pay`);
    charged += tick.charged;
    await checkChargedMinute(db, { ...FIXTURE, sessions: SESSIONS, charged, to: at, minutes: minute });
  }
  await assertLedgerClean(db);
  log(`[tick] checked: every session charged what it owes in one usage entry a minute; verifyLedger clean`);
  const tickMs = median(ticks);
  log(`[tick] median of the ${TIMED_MINUTES} minutes: ${fmt(tickMs)} ms`);

  // One more minute, through a timing wrapper, to show where a tick spends its time.
  const profiled = T0 + (TIMED_MINUTES + 1) * MINUTE;
  await heartbeatAll(db, profiled);
  const timed = timeStatements(db, new Map([[CHARGE_BATCH_SQL, 'charge batch']]));
  const profiledStart = performance.now();
  const last = await chargeDueSessions(timed.db, profiled);
  log(
    `[tick] profiled minute ${TIMED_MINUTES + 1}: ${fmt(last.sessions)} sessions, ${fmt(performance.now() - profiledStart)} ms`,
  );
  log(`         (summed over the ${DEFAULT_METERING.parallelBatches} batch loops' connections)`);
  for (const s of timed.report()) log(`         ${s.statement.padEnd(36)} ${fmt(s.ms).padStart(6)} ms  ×${s.calls}`);
  await assertLedgerClean(db);
  return tickMs;
}

async function benchSeed(db: Db, url: string): Promise<{ ms: number; sampled: number | null }> {
  await prepare(db, 'seed');
  const run = await deductLikeSeed(url, { at: T0 + MINUTE, sample: SEED_SAMPLE, budgetMs: SEED_BUDGET_MS });
  const sampled = run.processed < run.listed ? run.processed : null;
  log(
    sampled === null
      ? `[seed] per-session loop: ${fmt(run.processed)} sessions in ${fmt(run.elapsedMs)} ms`
      : `[seed] per-session loop: sampled ${fmt(run.processed)} of ${fmt(run.listed)} sessions in ` +
          `${fmt(run.elapsedMs)} ms, extrapolated linearly to ${fmt(run.projectedMs)} ms`,
  );
  await checkChargedMinute(db, { ...FIXTURE, sessions: run.processed, charged: run.charged, to: T0 + MINUTE });
  await assertLedgerClean(db);
  log(`[seed] checked: the same charges and entries for the sessions it ran; verifyLedger clean`);
  return { ms: run.projectedMs, sampled };
}

/** Metering 100,000 live sessions: our set-based tick against the seed's transaction per session. */
export async function run(): Promise<void> {
  const serverUrl = benchServerUrl();
  const tickMs = await withScratchDatabase(serverUrl, ({ db }) => benchTick(db));
  const seed = await withScratchDatabase(serverUrl, ({ db, url }) => benchSeed(db, url));
  const [tick_ms, seed_ms] = [Math.round(tickMs), Math.round(seed.ms)];
  const speedup = Math.round((seed_ms / tick_ms) * 10) / 10;
  log(`tick ${fmt(tick_ms)} ms vs seed ${fmt(seed_ms)} ms: ${speedup}× faster`);
  console.log(
    JSON.stringify({
      bench: 'metering',
      sessions: SESSIONS,
      tick_ms,
      seed_ms,
      speedup,
      ...(seed.sampled !== null && { seed_sampled: seed.sampled }),
    }),
  );
}
