import { performance } from 'node:perf_hooks';
import pg from 'pg';

/**
 * The seed plan's metering, as the baseline: its worker lists the active
 * sessions, then calls `DeductCredits` for each in turn, one transaction per
 * session on one connection. Kept as the seed wrote it, but in integer µcr and
 * with a usage ledger entry per charge so it does the same work as our tick.
 * Statements are named (prepared once), which is kinder to it than the seed's
 * Go code, which re-parses each one.
 */
const STATEMENTS = {
  lockSession: `SELECT user_id, rate FROM proxy_sessions WHERE id = $1 AND status = 'active' FOR UPDATE`,
  debitWallet: `UPDATE wallets SET balance = balance - $2, posted_balance = posted_balance - $2, total_spent = total_spent + $2,
                  updated_at = $3
                WHERE user_id = $1 AND balance >= $2 RETURNING balance`,
  insertUsage: `INSERT INTO ledger_entries
                  (user_id, kind, amount, balance_after, session_id, idempotency_key, description, created_at)
                VALUES ($1, 'usage', -$2::int8, $3, $4::uuid, 'usage:' || $4::text || ':' || $5::text, 'Proxy usage', $6)`,
  chargeSession: `UPDATE proxy_sessions SET charged_total = charged_total + $2, posted_total = posted_total + $2, charged_until = $3
                  WHERE id = $1`,
  endSession: `UPDATE proxy_sessions SET status = 'ended', ended_at = $2, end_reason = 'insufficient_credits'
               WHERE id = $1`,
} as const;

export interface SeedRun {
  /** Sessions charged before the run stopped. */
  processed: number;
  /** Active sessions the worker listed. */
  listed: number;
  /** Wall time of what did run, including the listing. */
  elapsedMs: number;
  /** µcr charged in all. */
  charged: bigint;
  /** Wall time projected to all `listed` sessions (equal to elapsedMs when all ran). */
  projectedMs: number;
}

export interface SeedRunOptions {
  /** The minute being charged ends here. */
  at: number;
  /** Stop after `sample` sessions when the whole run would take longer than `budgetMs`. */
  sample: number;
  budgetMs: number;
}

const MINUTE_MS = 60_000n;
const HOUR_MS = 3_600_000n;

export async function deductLikeSeed(databaseUrl: string, options: SeedRunOptions): Promise<SeedRun> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  // int8 columns arrive as strings: exact, and passed back as parameters unchanged.
  const run = <Row extends object = object>(name: keyof typeof STATEMENTS, values: unknown[]) =>
    client.query<Row>({ name, text: STATEMENTS[name], values });
  const atIso = new Date(options.at).toISOString();
  try {
    const started = performance.now();
    const { rows: active } = await client.query<{ id: string }>(
      `SELECT id FROM proxy_sessions WHERE status = 'active'`,
    );
    const listMs = performance.now() - started;
    let processed = 0;
    let charged = 0n;
    // Linear in the sessions run so far; the listing is paid once.
    const projected = (elapsedMs: number) => listMs + ((elapsedMs - listMs) * active.length) / Math.max(processed, 1);
    for (const { id } of active) {
      await client.query('BEGIN');
      const session = (await run<{ user_id: string; rate: string }>('lockSession', [id])).rows[0];
      if (session) {
        const minuteRate = (BigInt(session.rate) * MINUTE_MS) / HOUR_MS;
        const wallet = (await run<{ balance: string }>('debitWallet', [session.user_id, minuteRate, atIso])).rows[0];
        if (wallet) {
          await run('insertUsage', [session.user_id, minuteRate, wallet.balance, id, options.at, atIso]);
          await run('chargeSession', [id, minuteRate, atIso]);
          charged += minuteRate;
        } else {
          await run('endSession', [id, atIso]);
        }
      }
      await client.query('COMMIT');
      processed += 1;
      if (processed === options.sample && projected(performance.now() - started) > options.budgetMs) break;
    }
    const elapsedMs = performance.now() - started;
    return { processed, listed: active.length, charged, elapsedMs, projectedMs: projected(elapsedMs) };
  } finally {
    await client.end();
  }
}
