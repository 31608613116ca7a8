/**
 * One metering batch as a single statement, so 100,000 sessions never travel to
 * Node and back. It is the same rule as `planCharges` (the reference model, which
 * a property test holds it to):
 * - served time runs to min(now, last heartbeat) and never backwards;
 * - owed = floor(rate × served / 1h) − charged_total (cumulative, so exact);
 * - a user's sessions share the balance in id order; a session the balance
 *   cannot pay in full, or that empties it, ends `insufficient_credits`;
 * - a client silent past the timeout ends `client_lost`.
 * The wallet rows are locked in user order inside the statement, and the UPDATE
 * re-reads each locked row, so concurrent batches and workers serialise per wallet.
 *
 * $1 now, $2 lost-before (now − timeout), $3 batch size, $4 after id, $5 last id of the range.
 */
import { SESSION_ENDED_CHANNEL } from './session-events.ts';

export const CHARGE_BATCH_SQL = `
WITH due AS (
  SELECT id, user_id, rate, started_at, charged_total,
         last_heartbeat_at < $2::timestamptz AS lost,
         GREATEST(charged_until, LEAST($1::timestamptz, last_heartbeat_at)) AS bill_to
  FROM proxy_sessions
  WHERE status = 'active' AND id > $4::uuid AND id <= $5::uuid
    AND (charged_until < LEAST($1::timestamptz, last_heartbeat_at) OR last_heartbeat_at < $2::timestamptz)
  ORDER BY id
  LIMIT $3
  FOR UPDATE SKIP LOCKED
),
owed AS (
  SELECT d.*,
         GREATEST(0, floor(d.rate * extract(epoch FROM d.bill_to - d.started_at) * 1000 / 3600000)::bigint
                     - d.charged_total) AS owed
  FROM due d
),
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
),
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
)
SELECT count(*)::int AS sessions,
       COALESCE(sum(charge), 0)::bigint AS charged,
       COALESCE(array_agg(id) FILTER (WHERE end_reason IS NOT NULL), '{}') AS ended,
       (array_agg(id ORDER BY id DESC))[1] AS last_id,
       (SELECT count(*) FROM spent)::int AS wallets,
       (SELECT count(*) FROM entries)::int AS entries,
       (SELECT count(*) FROM announced)::int AS announced
FROM sessions`;
