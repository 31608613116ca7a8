import { cpus } from 'node:os';
import autocannon from 'autocannon';
import type { Db } from '../../server/db/types.ts';
import { assertLedgerClean } from './support/check-charges.ts';
import { holdStreams, idleUsers, pollLikeBefore, type IdleCost } from './support/idle-clients.ts';
import { measureCpu, type CpuUse } from './support/process-cpu.ts';
import { benchServerUrl, withScratchDatabase } from './support/scratch-database.ts';
import { startServiceProcess } from './support/service-process.ts';

// GET /api/credits/balance — what every client polls — under load, against the
// real service in a process of its own on a fresh PostgreSQL database, read
// beside GET /api/health (no auth, SELECT 1): the framework + database floor.
const CONNECTIONS = 50;
const WARMUP_S = 2;
const BALANCE_S = 10;
const HEALTH_WARMUP_S = 1;
const HEALTH_S = 5;
const TARGET_RPS = 5_000;
const TARGET_P99_MS = 25;
// The server logs at warn: request logging at info is a cost this bench does not measure.
// BENCH_SERVER_LOG_LEVEL=info shows what it would cost.
const SERVER_LOG_LEVEL = process.env.BENCH_SERVER_LOG_LEVEL ?? 'warn';
// Idle clients: this many hold the wallet stream for IDLE_S, then as many poll as before (env knobs for a quick check).
const IDLE_CLIENTS = Number(process.env.BENCH_IDLE_CLIENTS ?? 2_000);
const IDLE_S = Number(process.env.BENCH_IDLE_S ?? 60);
// Other work on the machine above this many cores makes a run unrepresentative (it is said so).
const NOISY_CORES = 0.2;

const log = (line: string) => console.log(line);
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

async function call(base: string, method: string, path: string, token?: string, body?: unknown): Promise<any> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(base + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return text.startsWith('{') ? JSON.parse(text) : text;
}

/** A user with credits, made the way a client does it: register, buy, pay on the sandbox checkout. */
async function userWithCredits(base: string): Promise<{ token: string; balance: unknown }> {
  const { token } = await call(base, 'POST', '/api/auth/register', undefined, {
    email: 'bench@example.com',
    password: 'correct horse battery staple',
  });
  const payment = await call(base, 'POST', '/api/credits/purchase', token, { amount: 25, method: 'sandbox' });
  await call(base, 'POST', `${new URL(payment.checkout_url).pathname}/pay`);
  const balance = await call(base, 'GET', '/api/credits/balance', token);
  if (balance.balance !== 27) throw new Error(`after buying 25 + 2 bonus the balance is ${balance.balance}, not 27`);
  return { token, balance };
}

interface Load {
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  requests: number;
  errors: number;
}

async function load(url: string, seconds: number, token?: string): Promise<Load> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    requests: result.requests.total,
    errors: result.non2xx + result.errors + result.timeouts,
  };
}

function report(label: string, seconds: number, l: Load, cpu: CpuUse): void {
  log(
    `[${label}] ${seconds} s × ${CONNECTIONS} connections: ${fmt(l.rps)} req/s average, ${fmt(l.requests)} requests, ` +
      `${l.errors} errors (non-2xx + errors + timeouts)`,
  );
  log(`[${label}] latency ms: p50 ${l.p50}, p90 ${l.p90}, p99 ${l.p99}, max ${l.max}`);
  const us = (n: number | null) => (n === null ? '?' : fmt(n));
  const cores = (n: number | null) => (n === null ? '?' : fmt(n, 2));
  log(
    `[${label}] CPU per request: service ${us(cpu.serverUs)} µs, PostgreSQL ${us(cpu.postgresUs)} µs, ` +
      `autocannon ${us(cpu.generatorUs)} µs; machine busy ${cores(cpu.machineCores)} of ${cpus().length} cores, ` +
      `${cores(cpu.otherCores)} of it other processes`,
  );
  if (cpu.otherCores !== null && cpu.otherCores > NOISY_CORES) {
    log(`[${label}] warning: other processes used ${fmt(cpu.otherCores, 2)} cores meanwhile; these figures are low`);
  }
}

function reportIdle(label: string, cost: IdleCost): void {
  log(
    `[${label}] ${fmt(IDLE_CLIENTS)} clients × ${IDLE_S} s: service CPU ${fmt(cost.cpuSeconds, 2)} s ` +
      `(${fmt((cost.cpuSeconds / IDLE_S) * 100)}% of a core), RSS ${fmt(cost.rssMb)} MB, ` +
      `${fmt(cost.requests)} requests, ${cost.errors} errors`,
  );
}

async function describeSetup(db: Db): Promise<void> {
  const { rows } = await db.query<{ name: string; setting: string }>(
    `SELECT name, setting FROM pg_settings
     WHERE name IN ('server_version', 'max_connections', 'shared_buffers') ORDER BY name`,
  );
  log(`postgres: ${rows.map((r) => `${r.name}=${r.setting}`).join(' ')}`);
  log(
    `machine: ${cpus().length} cores; node ${process.version}; load generator (autocannon) in this process, ` +
      `server in a child process at LOG_LEVEL=${SERVER_LOG_LEVEL}; PostgreSQL on the same machine`,
  );
}

async function bench(db: Db, databaseUrl: string) {
  await describeSetup(db);
  const server = await startServiceProcess(databaseUrl, { LOG_LEVEL: SERVER_LOG_LEVEL });
  try {
    log(`server: ${server.url} (pid ${server.child.pid})`);
    const { token, balance } = await userWithCredits(server.url);
    log(
      `user: registered, bought 25 + 2 bonus through the sandbox checkout; balance answer ${JSON.stringify(balance)}`,
    );

    const balanceUrl = `${server.url}/api/credits/balance`;
    const warm = await load(balanceUrl, WARMUP_S, token);
    log(`[warm-up] ${WARMUP_S} s on /api/credits/balance: ${fmt(warm.rps)} req/s (not counted)`);
    const pid = server.child.pid!;
    const balanceRun = await measureCpu(db, pid, () => load(balanceUrl, BALANCE_S, token));
    const measured = balanceRun.result;
    report('balance', BALANCE_S, measured, balanceRun.cpu);

    const healthUrl = `${server.url}/api/health`;
    await load(healthUrl, HEALTH_WARMUP_S);
    const healthRun = await measureCpu(db, pid, () => load(healthUrl, HEALTH_S));
    const health = healthRun.result;
    report('health', HEALTH_S, health, healthRun.cpu);

    // Polling must not have changed anything.
    const after = await call(server.url, 'GET', '/api/credits/balance', token);
    if (JSON.stringify(after) !== JSON.stringify(balance)) throw new Error('the balance changed while polling it');

    const tokens = await idleUsers(db, IDLE_CLIENTS);
    const idle = await holdStreams(server.url, tokens, pid, IDLE_S);
    reportIdle('idle stream', idle);
    const polling = await pollLikeBefore(server.url, tokens, pid, IDLE_S);
    reportIdle('idle poll', polling);

    await server.stop();
    await assertLedgerClean(db);
    log('checked: the balance answer is unchanged after the load; verifyLedger clean');
    return { measured, health, idle, polling };
  } finally {
    await server.stop();
  }
}

/**
 * `npm run bench -- api`: the balance endpoint under load, beside the health
 * floor; then idle clients holding the wallet stream against as many polling.
 */
export async function run(): Promise<void> {
  const serverUrl = benchServerUrl();
  const { measured, health, idle, polling } = await withScratchDatabase(serverUrl, ({ db, url }) => bench(db, url));
  const round = (n: number) => Math.round(n * 100) / 100;
  const ratio = measured.rps / health.rps;
  log(
    `balance vs health: ${fmt(measured.rps)} vs ${fmt(health.rps)} req/s (${fmt(ratio * 100)}% of the floor); ` +
      `p99 ${measured.p99} vs ${health.p99} ms`,
  );
  log(
    `targets: rps ≥ ${fmt(TARGET_RPS)} ${measured.rps >= TARGET_RPS ? 'met' : 'MISSED'}, ` +
      `p99 ≤ ${TARGET_P99_MS} ms ${measured.p99 <= TARGET_P99_MS ? 'met' : 'MISSED'}, ` +
      `errors ${measured.errors === 0 ? 'none' : `${measured.errors} (MISSED)`}`,
  );
  console.log(
    JSON.stringify({
      bench: 'api',
      rps: round(measured.rps),
      p99_ms: measured.p99,
      errors: measured.errors,
      health_rps: round(health.rps),
      idle_clients: IDLE_CLIENTS,
      idle_cpu_s: round(idle.cpuSeconds),
      idle_poll_cpu_s: round(polling.cpuSeconds),
      idle_rss_mb: Math.round(idle.rssMb),
      idle_poll_rss_mb: Math.round(polling.rssMb),
    }),
  );
}
