import { performance } from 'node:perf_hooks';
import { credits } from '../../shared/money.ts';
import type { Db } from '../../server/db/types.ts';
import { CHARGE_BATCH_SQL, FOLLOW_UP_SQL } from '../../server/metering/charge-batch.sql.ts';
import { chargeDueSessions } from '../../server/metering/charge-due-sessions.ts';
import { DEFAULT_METERING } from '../../server/metering/config.ts';
import { assertLedgerClean, checkChargedMinute } from './support/check-charges.ts';
import { explainBatch } from './support/explain-batch.ts';
import { heartbeatAll, prepareMetering, tierCounts, type MeteringFixture } from './support/metering-fixture.ts';
import { benchServerUrl, withScratchDatabase } from './support/scratch-database.ts';
import { deductLikeSeed } from './support/seed-deduct.ts';
import { timeStatements } from './support/timed-db.ts';

const SESSIONS = 100_000;
// The operator's scale: the tick alone (the seed's loop would take hours).
const SESSIONS_1M = 1_000_000;
// Sessions whose hour of ticks sizes the ledger's growth (bytes per session-hour do not depend on it).
const HOUR_SESSIONS = 10_000;
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
     WHERE name IN ('server_version', 'fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers',
                    'max_wal_size', 'work_mem') ORDER BY name`,
  );
  log(`server: ${rows.map((r) => `${r.name}=${r.setting}`).join(' ')}`);
}

/** Fills a fresh database: every session one minute in and its client heartbeating. */
async function prepare(db: Db, label: string, fixture: MeteringFixture = FIXTURE): Promise<void> {
  const started = performance.now();
  await prepareMetering(db, fixture);
  const beating = await heartbeatAll(db, T0 + MINUTE);
  const ms = performance.now() - started;
  log(
    `[${label}] setup: ${fmt(fixture.users)} users, wallets and live sessions, ${fmt(beating)} heartbeats: ${fmt(ms)} ms`,
  );
}

/** Where a batch spends its time: the tick's first batch, custom and generic plan. */
async function explain(db: Db, label: string, sessions: number): Promise<void> {
  for (const plan of await explainBatch(db, T0 + MINUTE, Math.ceil(sessions / DEFAULT_METERING.batchSize))) {
    log(`[${label}] EXPLAIN ANALYZE of one batch, ${plan.plan} plan: ${plan.ms} ms`);
    for (const step of plan.steps) log(`         ${step}`);
  }
}

/** Ticks `minutes` consecutive minutes from minute 1, every client heartbeating; the median tick. */
async function timeTicks(db: Db, label: string, fixture: MeteringFixture, minutes: number): Promise<number> {
  const ticks: number[] = [];
  let charged = 0n;
  for (let minute = 1; minute <= minutes; minute++) {
    const at = T0 + minute * MINUTE;
    if (minute > 1) await heartbeatAll(db, at);
    const started = performance.now();
    const tick = await chargeDueSessions(db, at);
    ticks.push(performance.now() - started);
    log(
      `[${label}] minute ${minute}: ${fmt(tick.sessions)} sessions in ${tick.batches} batches, ${fmt(ticks.at(-1)!)} ms`,
    );
    if (tick.ended.length > 0) throw new Error(`the tick ended ${tick.ended.length} sessions that could pay`);
    charged += tick.charged;
  }
  const to = T0 + minutes * MINUTE;
  await checkChargedMinute(db, { ...fixture, sessions: fixture.users, charged, to, entries: 0 });
  await assertLedgerClean(db);
  log(
    `[${label}] checked: every session charged what it owes, its balance moved, nothing posted before its hour; verifyLedger clean`,
  );
  return median(ticks);
}

async function benchTick(db: Db): Promise<number> {
  await describeServer(db);
  const mix = [...tierCounts(SESSIONS)].map(([tier, n]) => `${tier} ${fmt(n)}`).join(', ');
  log(`sessions by tier: ${mix}; batch size ${fmt(DEFAULT_METERING.batchSize)}`);
  await prepare(db, 'tick');
  await explain(db, 'tick', SESSIONS);
  const tickMs = await timeTicks(db, 'tick', FIXTURE, TIMED_MINUTES);
  log(`[tick] median of the ${TIMED_MINUTES} minutes: ${fmt(tickMs)} ms`);

  // One more minute, through a timing wrapper, to show where a tick spends its time.
  const profiled = T0 + (TIMED_MINUTES + 1) * MINUTE;
  await heartbeatAll(db, profiled);
  const timed = timeStatements(
    db,
    new Map([
      [CHARGE_BATCH_SQL, 'charge batch'],
      [FOLLOW_UP_SQL, 'follow-ups'],
    ]),
  );
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
  await checkChargedMinute(db, {
    ...FIXTURE,
    sessions: run.processed,
    charged: run.charged,
    to: T0 + MINUTE,
    entries: 1,
  });
  await assertLedgerClean(db);
  log(`[seed] checked: the same charges and entries for the sessions it ran; verifyLedger clean`);
  return { ms: run.projectedMs, sampled };
}

/** 1,000,000 live sessions, one user each: the tick the operator runs every minute. */
async function benchTick1M(db: Db): Promise<number> {
  const fixture = { ...FIXTURE, users: SESSIONS_1M };
  await prepare(db, 'tick 1M', fixture);
  await explain(db, 'tick 1M', SESSIONS_1M);
  const tickMs = await timeTicks(db, 'tick 1M', fixture, TIMED_MINUTES);
  log(`[tick 1M] median of the ${TIMED_MINUTES} minutes: ${fmt(tickMs)} ms`);
  return tickMs;
}

/**
 * What the ledger grows by per session-hour: an hour of minute ticks over
 * `HOUR_SESSIONS` sessions (every one posts its first hour at minute 60),
 * measured with pg_total_relation_size (heap, indexes and TOAST).
 */
async function benchLedgerGrowth(db: Db): Promise<number> {
  const fixture = { ...FIXTURE, users: HOUR_SESSIONS };
  await prepare(db, 'hour', fixture);
  const size = async () =>
    (await db.query<{ bytes: bigint }>(`SELECT pg_total_relation_size('ledger_entries') AS bytes`)).rows[0]!.bytes;
  const before = await size();
  let charged = 0n;
  for (let minute = 1; minute <= 60; minute++) {
    if (minute > 1) await heartbeatAll(db, T0 + minute * MINUTE);
    charged += (await chargeDueSessions(db, T0 + minute * MINUTE)).charged;
  }
  const grown = Number((await size()) - before);
  const to = T0 + 60 * MINUTE;
  await checkChargedMinute(db, { ...fixture, sessions: HOUR_SESSIONS, charged, to, entries: 1 });
  await assertLedgerClean(db);
  const perSessionHour = Math.round(grown / HOUR_SESSIONS);
  log(
    `[hour] 60 ticks of ${fmt(HOUR_SESSIONS)} sessions: ledger_entries grew ${fmt(grown)} bytes, ` +
      `${fmt(perSessionHour)} per session-hour (one usage line each); verifyLedger clean`,
  );
  return perSessionHour;
}

/** Metering 100,000 live sessions: our set-based tick against the seed's transaction per session; then 1,000,000. */
export async function run(): Promise<void> {
  const serverUrl = benchServerUrl();
  const tickMs = await withScratchDatabase(serverUrl, ({ db }) => benchTick(db));
  const seed = await withScratchDatabase(serverUrl, ({ db, url }) => benchSeed(db, url));
  const bytesPerSessionHour = await withScratchDatabase(serverUrl, ({ db }) => benchLedgerGrowth(db));
  // BENCH_METERING_1M=0 skips the million-session run (minutes of fixture), e.g. to check the 100,000 figures alone.
  const tick1mMs =
    process.env.BENCH_METERING_1M === '0' ? null : await withScratchDatabase(serverUrl, ({ db }) => benchTick1M(db));
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
      tick_1m_ms: tick1mMs === null ? null : Math.round(tick1mMs),
      ledger_bytes_per_session_hour: bytesPerSessionHour,
    }),
  );
}
