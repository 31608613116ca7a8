/**
 * One metering batch as set-based statements, so 100,000 sessions never travel to
 * Node and back. They are the same rule as `planCharges` (the reference model,
 * which a property test holds them to):
 * - served time runs to min(now, last heartbeat) and never backwards;
 * - owed = floor(rate × served / 1h) − charged_total (cumulative, so exact);
 * - a user's sessions share the balance in id order; a session the balance
 *   cannot pay in full, or that empties it, ends `insufficient_credits`;
 * - a client silent past the timeout ends `client_lost`.
 */
import { SESSION_ENDED_CHANNEL } from './session-events.ts';

// $1 now, $2 lost-before (now − timeout); the sessions are locked by the `due` CTE that precedes these.
// Served time is whole milliseconds (every timestamp here comes from the clock in ms), so the charge is
// bigint arithmetic, floor division included (numeric division cost a few per cent of a tick).
const OWED = `
owed AS (
  SELECT d.*,
         GREATEST(0, d.rate * floor(extract(epoch FROM d.bill_to - d.started_at) * 1000)::bigint / 3600000
                     - d.charged_total) AS owed
  FROM due d
)`;

const DUE_COLUMNS = `id, user_id, rate, started_at, charged_total,
         last_heartbeat_at < $2::timestamptz AS lost,
         GREATEST(charged_until, LEAST($1::timestamptz, last_heartbeat_at)) AS bill_to`;

// Writes what `decided` (user_id, id, bill_to, charge, balance_after, end_reason) says, wallets aside.
const WRITE = `
entries AS (
  INSERT INTO ledger_entries (user_id, kind, amount, balance_after, session_id, idempotency_key, description, created_at)
  SELECT user_id, 'usage', -charge, balance_after, id,
         'usage:' || id || ':' || (extract(epoch FROM bill_to) * 1000)::bigint, 'Proxy usage', $1::timestamptz
  FROM decided
  WHERE charge > 0
  ORDER BY user_id, id
  RETURNING id
),
sessions AS (
  UPDATE proxy_sessions s
  SET charged_total = s.charged_total + d.charge,
      charged_until = d.bill_to,
      status = CASE WHEN d.end_reason IS NULL THEN 'active' ELSE 'ended' END,
      end_reason = d.end_reason,
      ended_at = CASE WHEN d.end_reason IS NULL THEN NULL ELSE $1::timestamptz END
  FROM decided d
  WHERE s.id = d.id
  RETURNING s.id, d.charge, d.end_reason
),
announced AS (
  SELECT pg_notify('${SESSION_ENDED_CHANNEL}', id::text) FROM sessions WHERE end_reason IS NOT NULL
)`;

const TOTALS = `count(*)::int AS sessions,
       COALESCE(sum(charge), 0)::bigint AS charged,
       COALESCE(array_agg(id) FILTER (WHERE end_reason IS NOT NULL), '{}') AS ended,
       (SELECT count(*) FROM entries)::int AS entries,
       (SELECT count(*) FROM announced)::int AS announced`;

/**
 * The common case in one pass: the next `$3` due sessions of the id range, and
 * for every user whose balance more than covers all they owe, one UPDATE that
 * both locks and debits the wallet (its guard is re-checked against the latest
 * row version, so a concurrent purchase, charge or second worker is safe; the
 * totals are taken in user order so batches lock wallets in one order). Those
 * sessions are charged in full and none can empty the balance, so only a lost
 * client ends. Sessions of every other user come back in `rest`, still locked,
 * for `CHARGE_REST_SQL` in the same transaction.
 *
 * $1 now, $2 lost-before, $3 batch size, $4 after id, $5 last id of the range.
 */
export const CHARGE_BATCH_SQL = `
WITH due AS (
  SELECT ${DUE_COLUMNS}
  FROM proxy_sessions
  WHERE status = 'active' AND id > $4::uuid AND id <= $5::uuid
    AND (charged_until < LEAST($1::timestamptz, last_heartbeat_at) OR last_heartbeat_at < $2::timestamptz)
  ORDER BY id
  LIMIT $3
  FOR UPDATE SKIP LOCKED
),${OWED},
owing AS (
  SELECT user_id, sum(owed)::bigint AS total FROM owed GROUP BY user_id HAVING sum(owed) > 0 ORDER BY user_id
),
paid AS (
  UPDATE wallets w
  SET balance = w.balance - t.total, total_spent = w.total_spent + t.total, updated_at = $1::timestamptz
  FROM owing t
  WHERE w.user_id = t.user_id AND w.balance > t.total
  RETURNING w.user_id, w.balance + t.total AS balance_before
),
decided AS (
  SELECT o.user_id, o.id, o.bill_to, o.owed AS charge,
         p.balance_before - sum(o.owed) OVER (PARTITION BY o.user_id ORDER BY o.id) AS balance_after,
         CASE WHEN o.lost THEN 'client_lost' END AS end_reason
  FROM owed o JOIN paid p USING (user_id)
),${WRITE}
SELECT ${TOTALS},
       (SELECT count(*) FROM due)::int AS due,
       (SELECT id FROM due ORDER BY id DESC LIMIT 1) AS last_id,
       (SELECT COALESCE(array_agg(o.id), '{}') FROM owed o WHERE o.user_id NOT IN (SELECT user_id FROM paid)) AS rest
FROM sessions`;

/**
 * The whole rule for the sessions `$3` (already locked by this transaction):
 * their wallets are locked in user order, each user's balance is shared among
 * their sessions in id order, and what it cannot pay ends the session.
 *
 * $1 now, $2 lost-before, $3 session ids.
 */
export const CHARGE_REST_SQL = `
WITH due AS (
  SELECT ${DUE_COLUMNS}
  FROM proxy_sessions
  WHERE id = ANY ($3::uuid[])
  FOR UPDATE
),${OWED},
wallet AS (
  SELECT user_id, balance FROM wallets
  WHERE user_id = ANY (ARRAY(SELECT user_id FROM owed))
  ORDER BY user_id
  FOR UPDATE
),
shared AS (
  SELECT o.*, w.balance, sum(o.owed) OVER (PARTITION BY o.user_id ORDER BY o.id) AS owed_through
  FROM owed o JOIN wallet w USING (user_id)
),
charged AS (
  SELECT s.*,
         LEAST(s.owed, GREATEST(0, s.balance - (s.owed_through - s.owed)))::bigint AS charge,
         GREATEST(0, s.balance - s.owed_through)::bigint AS balance_after
  FROM shared s
),
decided AS (
  SELECT c.*,
         CASE WHEN c.lost THEN 'client_lost'
              WHEN c.charge < c.owed OR c.balance_after = 0 THEN 'insufficient_credits' END AS end_reason
  FROM charged c
),
spent AS (
  UPDATE wallets w
  SET balance = w.balance - t.total, total_spent = w.total_spent + t.total, updated_at = $1::timestamptz
  FROM (SELECT user_id, sum(charge) AS total FROM decided GROUP BY user_id HAVING sum(charge) > 0) t
  WHERE w.user_id = t.user_id
  RETURNING w.user_id
),${WRITE}
SELECT ${TOTALS},
       (SELECT count(*) FROM spent)::int AS wallets
FROM sessions`;
