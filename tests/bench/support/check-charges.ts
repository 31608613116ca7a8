import type { MicroCredits } from '../../../shared/money.ts';
import type { Db } from '../../../server/db/types.ts';
import { verifyLedger } from '../../../server/ledger/verify-ledger.ts';

export interface ChargedMinute {
  /** Sessions that must have been metered up to `to`. */
  sessions: number;
  /** What the metering reported it charged in total, over all the minutes so far. */
  charged: MicroCredits;
  /** Usage entries each session must have (our tick: one per session-hour; the seed: one a minute). */
  entries: number;
  startedAt: number;
  to: number;
  /** Every wallet's balance before any charge. */
  balance: MicroCredits;
}

interface Counts {
  metered: bigint;
  wrong: bigint;
  charged: bigint | null;
  entries: bigint;
  other: bigint;
}

/**
 * Checks, session by session, that exactly `sessions` sessions were metered up to
 * `to`, each charged floor(rate × elapsed / 1h) from a wallet that moved by that
 * much, with `entries` usage entries summing to what the session has posted; and
 * that no other session was charged at all.
 */
export async function checkChargedMinute(db: Db, expected: ChargedMinute): Promise<void> {
  const to = new Date(expected.to).toISOString();
  const { rows } = await db.query<Counts>(
    `WITH usage AS (
       SELECT session_id, count(*) AS entries, -sum(amount) AS total FROM ledger_entries
       WHERE kind = 'usage' GROUP BY session_id)
     SELECT count(*) FILTER (WHERE s.charged_until = $1) AS metered,
            count(*) FILTER (WHERE s.charged_until = $1 AND (
              s.status <> 'active' OR s.charged_total <> s.rate * $2::int8 / 3600000
              OR COALESCE(u.entries, 0) <> $4 OR COALESCE(u.total, 0) <> s.posted_total
              OR w.balance <> $3::int8 - s.charged_total OR w.total_spent <> s.charged_total)) AS wrong,
            (sum(s.charged_total) FILTER (WHERE s.charged_until = $1))::int8 AS charged,
            (SELECT count(*) FROM ledger_entries WHERE kind = 'usage') AS entries,
            count(*) FILTER (WHERE s.charged_until <> $1 AND (s.charged_total <> 0 OR u.entries IS NOT NULL)) AS other
     FROM proxy_sessions s JOIN wallets w ON w.user_id = s.user_id LEFT JOIN usage u ON u.session_id = s.id`,
    [to, expected.to - expected.startedAt, expected.balance, expected.entries],
  );
  const counts = rows[0]!;
  const problems = [
    counts.metered !== BigInt(expected.sessions) && `${counts.metered} sessions metered, expected ${expected.sessions}`,
    counts.wrong > 0n &&
      `${counts.wrong} sessions charged the wrong amount, or without the usage entries they should have`,
    (counts.charged ?? 0n) !== expected.charged &&
      `sessions were charged ${counts.charged} µcr in total but the metering reported ${expected.charged}`,
    counts.entries !== BigInt(expected.sessions * expected.entries) &&
      `${counts.entries} usage entries, expected ${expected.sessions * expected.entries}`,
    counts.other > 0n && `${counts.other} sessions not metered up to the minute were charged anyway`,
  ].filter((p): p is string => typeof p === 'string');
  if (problems.length > 0) throw new Error(`metering check failed:\n  ${problems.join('\n  ')}`);
}

/** Runs the server's own `verifyLedger`; any violation fails the bench. */
export async function assertLedgerClean(db: Db): Promise<void> {
  const violations = await verifyLedger(db);
  if (violations.length === 0) return;
  const shown = violations.slice(0, 10).map((v) => `${v.invariant}: ${v.subject} ${v.detail}`);
  throw new Error(`verifyLedger reports ${violations.length} violations:\n  ${shown.join('\n  ')}`);
}
