import { crashRun, type CrashRunResult } from '../support/reliability/crash-run.ts';
import { fuzzRun } from '../support/reliability/fuzz-run.ts';
import { scaleoutRun } from '../support/reliability/scaleout-run.ts';
import { soakRun } from '../support/reliability/soak-run.ts';
import { benchServerUrl } from './support/scratch-database.ts';

const KILLS = Number(process.env.BENCH_RELIABILITY_KILLS ?? 20);
const FUZZ_CASES = Number(process.env.BENCH_RELIABILITY_FUZZ ?? 10_000);
const SOAK_SESSIONS = Number(process.env.BENCH_RELIABILITY_SOAK_SESSIONS ?? 1_000);
const SOAK_MINUTES = Number(process.env.BENCH_RELIABILITY_SOAK_MINUTES ?? 60);
const SEED = Number(process.env.BENCH_RELIABILITY_SEED ?? 20261203);

const log = (line: string) => console.log(line);

/**
 * `npm run bench -- reliability`: the crash test (SIGKILL under load, on
 * PostgreSQL and PGlite), the OpenAPI fuzzer, two services and two gateways with
 * one of each killed, and a soak of live sessions over simulated minutes. CI runs
 * a shorter version of each under tests/integration/reliability/.
 */
export async function run(): Promise<void> {
  const serverUrl = benchServerUrl();
  const started = performance.now();

  const crashes: CrashRunResult[] = [];
  for (const engine of ['postgres', 'pglite'] as const) {
    const result = await crashRun({
      engine,
      kills: KILLS,
      seed: SEED,
      serverUrl,
      log: (l) => log(`[crash ${engine}] ${l}`),
    });
    const { overcharged: _, ...figures } = result;
    log(`[crash ${engine}] ${JSON.stringify(figures)}`);
    crashes.push(result);
  }

  const fuzz = await fuzzRun('postgres', FUZZ_CASES, SEED, serverUrl);
  log(
    `[fuzz] seed ${fuzz.seed}: ${fuzz.cases} cases, ${fuzz.fiveXX} 5xx, ${fuzz.badShape} refusals out of shape, ${fuzz.rejectedChanges} refused requests that changed something`,
  );
  for (const example of fuzz.examples) log(`[fuzz]   ${example}`);

  const scaleout = await scaleoutRun(serverUrl, 40);
  log(`[scale-out] ${JSON.stringify({ ...scaleout, charged: scaleout.charged.toString() })}`);

  const soak = await soakRun('postgres', SOAK_SESSIONS, SOAK_MINUTES, SEED, serverUrl);
  log(
    `[soak] ${JSON.stringify({ ...soak, charged: soak.charged.toString() })} (service and gateway in one process: one RSS)`,
  );

  log(`total: ${Math.round((performance.now() - started) / 1000)} s`);
  const sum = (pick: (r: CrashRunResult) => number) => crashes.reduce((n, r) => n + pick(r), 0);
  console.log(
    JSON.stringify({
      bench: 'reliability',
      kills: KILLS,
      acknowledged_lost: sum((r) => r.acknowledgedLost),
      double_credits: sum((r) => r.doubleCredits),
      ledger_violations: sum((r) => r.ledgerViolations) + scaleout.ledgerViolations + soak.ledgerViolations,
      charged_while_down: sum((r) => r.chargedWhileDown),
      fuzz_cases: fuzz.cases,
      fuzz_5xx: fuzz.fiveXX,
      fuzz_out_of_shape: fuzz.badShape,
      fuzz_rejected_changes: fuzz.rejectedChanges,
      scaleout_exact: scaleout.exact && scaleout.survivorsCarriedOn,
      scaleout_cross_end_ms: scaleout.crossEndMs,
      soak_exact: soak.exact,
      soak_rss_growth_mb: soak.rssGrowthMb,
    }),
  );
}
