import type { Queryable } from '../db/types.ts';

export interface Violation {
  invariant: string;
  /** The wallet, session or payment at fault. */
  subject: string;
  detail: string;
}

interface Check {
  invariant: string;
  /** Returns one row per violation: `subject` and `detail`. */
  sql: string;
}

// Each check states one invariant of DESIGN §4 as a query for its counter-examples.
const CHECKS: Check[] = [
  {
    invariant: 'the posted balance equals the sum of the ledger',
    sql: `SELECT w.user_id::text AS subject,
                 'posted balance ' || w.posted_balance || ' but entries sum to ' || COALESCE(e.total, 0) AS detail
          FROM wallets w LEFT JOIN (SELECT user_id, sum(amount) AS total FROM ledger_entries GROUP BY user_id) e
            ON e.user_id = w.user_id
          WHERE w.posted_balance <> COALESCE(e.total, 0)
          UNION ALL
          SELECT e.user_id::text, 'ledger entries for a user without a wallet'
          FROM ledger_entries e WHERE NOT EXISTS (SELECT 1 FROM wallets w WHERE w.user_id = e.user_id)`,
  },
  {
    // Usage moves the balance every minute but is posted once per session-hour and at the end.
    invariant: 'balance equals the ledger less the usage accrued by live sessions and not yet posted',
    sql: `SELECT w.user_id::text AS subject,
                 'balance ' || w.balance || ', posted ' || w.posted_balance || ', unposted usage ' || COALESCE(s.unposted, 0)
                   AS detail
          FROM wallets w LEFT JOIN (SELECT user_id, sum(charged_total - posted_total) AS unposted
                                    FROM proxy_sessions GROUP BY user_id) s ON s.user_id = w.user_id
          WHERE w.balance <> w.posted_balance - COALESCE(s.unposted, 0)`,
  },
  {
    invariant: 'every entry belongs to a user and points at their own session or payment',
    sql: `SELECT e.id::text AS subject, 'entry of ' || e.user_id || ' points at a missing or foreign ' ||
                 CASE WHEN NOT EXISTS (SELECT 1 FROM users u WHERE u.id = e.user_id) THEN 'user'
                      WHEN e.session_id IS NOT NULL THEN 'session' ELSE 'payment' END AS detail
          FROM ledger_entries e
          WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = e.user_id)
             OR (e.session_id IS NOT NULL AND NOT EXISTS
                  (SELECT 1 FROM proxy_sessions s WHERE s.id = e.session_id AND s.user_id = e.user_id))
             OR (e.payment_id IS NOT NULL AND NOT EXISTS
                  (SELECT 1 FROM payments p WHERE p.id = e.payment_id AND p.user_id = e.user_id))`,
  },
  {
    invariant: 'balance is never negative',
    sql: `SELECT user_id::text AS subject, 'balance ' || balance AS detail FROM wallets WHERE balance < 0`,
  },
  {
    invariant: 'each entry records the balance after it',
    sql: `SELECT id::text AS subject, 'balance_after ' || balance_after || ', running sum ' || running AS detail
          FROM (SELECT id, balance_after, sum(amount) OVER (PARTITION BY user_id ORDER BY id) AS running
                FROM ledger_entries) x
          WHERE balance_after <> running`,
  },
  {
    invariant: 'wallet totals match the ledger',
    sql: `SELECT w.user_id::text AS subject,
                 'purchased ' || w.total_purchased || ' vs ' || COALESCE(e.purchased, 0) ||
                 ', spent ' || w.total_spent || ' vs ' || COALESCE(e.spent, 0) AS detail
          FROM wallets w LEFT JOIN (
            SELECT user_id,
                   sum(amount) FILTER (WHERE kind IN ('purchase', 'bonus')) AS purchased,
                   -sum(amount) FILTER (WHERE kind = 'usage') AS spent
            FROM ledger_entries GROUP BY user_id) e ON e.user_id = w.user_id
          LEFT JOIN (SELECT user_id, sum(charged_total - posted_total) AS unposted
                     FROM proxy_sessions GROUP BY user_id) s ON s.user_id = w.user_id
          WHERE w.total_purchased <> COALESCE(e.purchased, 0)
             OR w.total_spent <> COALESCE(e.spent, 0) + COALESCE(s.unposted, 0)`,
  },
  {
    invariant: 'a paid payment has one purchase entry and one bonus entry when it has a bonus',
    sql: `SELECT p.id::text AS subject,
                 p.status || ': ' || count(e.id) FILTER (WHERE e.kind = 'purchase') || ' purchase entries summing ' ||
                 COALESCE(sum(e.amount) FILTER (WHERE e.kind = 'purchase'), 0) || ' for ' || p.credits || ', ' ||
                 count(e.id) FILTER (WHERE e.kind = 'bonus') || ' bonus entries summing ' ||
                 COALESCE(sum(e.amount) FILTER (WHERE e.kind = 'bonus'), 0) || ' for ' || p.bonus AS detail
          FROM payments p LEFT JOIN ledger_entries e ON e.payment_id = p.id AND e.user_id = p.user_id
          GROUP BY p.id
          HAVING CASE WHEN p.status IN ('paid', 'refunded') THEN
                   count(e.id) FILTER (WHERE e.kind = 'purchase') <> 1
                   OR COALESCE(sum(e.amount) FILTER (WHERE e.kind = 'purchase'), 0) <> p.credits
                   OR count(e.id) FILTER (WHERE e.kind = 'bonus') <> (CASE WHEN p.bonus > 0 THEN 1 ELSE 0 END)
                   OR COALESCE(sum(e.amount) FILTER (WHERE e.kind = 'bonus'), 0) <> p.bonus
                 ELSE count(e.id) FILTER (WHERE e.kind IN ('purchase', 'bonus')) > 0 END`,
  },
  {
    invariant: 'a refund takes back the payment less its recorded shortfall',
    sql: `SELECT p.id::text AS subject,
                 'refunded ' || COALESCE(-sum(e.amount), 0) || ' of ' || (p.credits + p.bonus) ||
                 ' with shortfall ' || p.refund_shortfall AS detail
          FROM payments p LEFT JOIN ledger_entries e ON e.payment_id = p.id AND e.user_id = p.user_id AND e.kind = 'refund'
          GROUP BY p.id
          HAVING COALESCE(-sum(e.amount), 0) <>
                 CASE WHEN p.status = 'refunded' THEN p.credits + p.bonus - p.refund_shortfall ELSE 0 END`,
  },
  {
    invariant: "a session's usage entries are what it was charged, all of it once it ended",
    sql: `SELECT s.id::text AS subject,
                 s.status || ': charged_total ' || s.charged_total || ', posted_total ' || s.posted_total ||
                 ', usage entries ' || COALESCE(u.total, 0) AS detail
          FROM proxy_sessions s LEFT JOIN (
            SELECT session_id, user_id, -sum(amount) AS total FROM ledger_entries WHERE kind = 'usage'
            GROUP BY session_id, user_id) u ON u.session_id = s.id AND u.user_id = s.user_id
          WHERE s.posted_total <> COALESCE(u.total, 0)
             OR s.charged_total < s.posted_total
             OR (s.status = 'ended' AND s.charged_total <> s.posted_total)`,
  },
  {
    invariant: 'a live session posts a usage line for every hour it has been served',
    sql: `SELECT id::text AS subject, 'served ' || served || ' ms, posted through ' || posted_ms || ' ms' AS detail
          FROM (SELECT id, posted_ms, GREATEST(0, floor(extract(epoch FROM charged_until - started_at) * 1000)::bigint
                                                   - unserved_ms) AS served
                FROM proxy_sessions WHERE status = 'active') s
          WHERE served / 3600000 <> posted_ms / 3600000`,
  },
  {
    invariant: 'an ended session is never charged again',
    sql: `SELECT e.id::text AS subject, 'usage entry at ' || e.created_at || ' after the session ended at ' || s.ended_at AS detail
          FROM ledger_entries e JOIN proxy_sessions s ON s.id = e.session_id
          WHERE e.kind = 'usage' AND s.ended_at IS NOT NULL AND e.created_at > s.ended_at`,
  },
  {
    // Served time is the span billed less the gaps not served. A gap a heartbeat found lies
    // before that heartbeat; one not yet billed past (charged_until < last heartbeat) may lie
    // after charged_until, so until the next tick the charge is only bounded, not exact:
    // at least the span less every gap, at most the span less the gaps that must lie before it.
    // A session that ran out of credits may be charged less, never more.
    invariant: 'a session is charged exactly its rate for the time served',
    sql: `SELECT id::text AS subject,
                 'charged ' || charged_total || ', rate × served = ' || least_owed ||
                 CASE WHEN most_owed <> least_owed THEN '..' || most_owed ELSE '' END AS detail
          FROM (SELECT id, charged_total, end_reason,
                       rate * GREATEST(0, span - unserved_ms) / 3600000 AS least_owed,
                       rate * GREATEST(0, span - GREATEST(0, unserved_ms - GREATEST(0, unbilled))) / 3600000 AS most_owed
                FROM (SELECT *, floor(extract(epoch FROM charged_until - started_at) * 1000)::bigint AS span,
                             floor(extract(epoch FROM last_heartbeat_at - charged_until) * 1000)::bigint AS unbilled
                      FROM proxy_sessions) p) s
          WHERE charged_total > most_owed
             OR (charged_total < least_owed AND end_reason IS DISTINCT FROM 'insufficient_credits')`,
  },
];

/** Checks every ledger invariant and reports each violation; an empty list means the books balance. */
export async function verifyLedger(db: Queryable): Promise<Violation[]> {
  const violations: Violation[] = [];
  for (const check of CHECKS) {
    const { rows } = await db.query<{ subject: string; detail: string }>(check.sql);
    for (const row of rows) violations.push({ invariant: check.invariant, subject: row.subject, detail: row.detail });
  }
  return violations;
}
