/**
 * Metering as set-based statements, so 100,000 sessions never travel to Node and
 * back. They are the same rule as `planCharges` (the reference model, which a
 * property test holds them to):
 * - served time runs to min(now, last heartbeat) and never backwards, less the
 *   gaps not served (`unserved_ms`);
 * - owed = floor(rate × served / 1h) − charged_total (cumulative, so exact);
 * - a user's sessions share the balance in id order; a session the balance
 *   cannot pay in full, or that empties it, ends `insufficient_credits`;
 * - a client silent past the timeout ends `client_lost`.
 * The books are written only by the ledger's functions: the balance moves by every
 * charge (`ledger_debit` for users who can pay it all, `ledger_post` otherwise),
 * and a session's usage is posted by `ledger_post` as one line per served hour
 * and one when it ends. Sessions are locked before wallets, as everywhere.
 */
import { ledgerDebitSql } from '../ledger/debit-balances.ts';
import { ledgerPostSql } from '../ledger/post-moves.ts';
import { SESSION_ENDED_CHANNEL } from '../sessions/session-events.ts';

const HOUR_MS = 3_600_000;

// $1 now, $2 lost-before (now − timeout), over the session row `s` as it is when it is locked.
// Served time is whole milliseconds (every timestamp here comes from the clock in ms), so the charge is
// bigint arithmetic, floor division included (numeric division cost a few per cent of a tick).
const BILL_TO = 'GREATEST(s.charged_until, LEAST($1::timestamptz, s.last_heartbeat_at))';
const served = (to: string, s: string) =>
  `GREATEST(0, floor(extract(epoch FROM ${to} - ${s}.started_at) * 1000)::bigint - ${s}.unserved_ms)`;
// Served time leaves out the gaps a heartbeat found unserved (see served-time.ts).
const OWED = `GREATEST(0, s.rate * ${served(BILL_TO, 's')} / ${HOUR_MS} - s.charged_total)`;
const LOST = 's.last_heartbeat_at < $2::timestamptz';

// What settling needs of a session, as locked.
// `row` (its address) finds the locked row again without a second index scan.
const SESSION_COLUMNS = `s.ctid AS row, s.id, s.user_id, s.tier, s.targeting, s.started_at, s.unserved_ms, s.charged_total,
  s.posted_total, s.posted_ms, s.bytes_up, s.bytes_down`;

// Takes what `due` (session columns, `owed`) owes from the balances, in user then `order` order,
// clamping what a balance cannot cover; `only` narrows `due` to the sessions to take it for.
const debit = (order: string, only = 'true') =>
  ledgerPostSql(
    `SELECT user_id, 'usage' AS kind, -owed AS amount, 0::bigint AS accrued, false AS post, true AS clamp,
            id AS session_id, NULL::uuid AS payment_id, NULL::text AS idempotency_key, NULL::text AS description,
            NULL::jsonb AS metadata
     FROM due WHERE ${only} ORDER BY user_id, ${order}`,
    '$1::timestamptz',
  );

/**
 * The tail both statements share: `charged` (session columns, owed, bill_to, charge,
 * end_reason) has been taken from the balances; this posts a usage line for each
 * session that ends or has been served into a new hour since its last one (its
 * amount is everything charged since, its metadata how long, where, and the
 * traffic so far), advances the sessions and announces those that end.
 */
const SETTLE = `
lines AS (
  SELECT c.*, c.charged_total + c.charge AS charged_after, ${served('c.bill_to', 'c')} AS served,
         c.end_reason IS NOT NULL OR ${served('c.bill_to', 'c')} / ${HOUR_MS} > c.posted_ms / ${HOUR_MS} AS post
  FROM charged c
),
posted AS (${ledgerPostSql(
  `SELECT user_id, 'usage' AS kind, 0::bigint AS amount, posted_total - charged_after AS accrued, true AS post,
          false AS clamp, id AS session_id, NULL::uuid AS payment_id,
          'usage:' || id || ':' || CASE WHEN end_reason IS NULL THEN (served / ${HOUR_MS})::text ELSE 'end' END
            AS idempotency_key,
          'Proxy usage' AS description,
          jsonb_build_object('served_ms', served - posted_ms, 'tier', tier, 'location', targeting,
                             'bytes_up', bytes_up, 'bytes_down', bytes_down) AS metadata
   FROM lines WHERE post AND charged_after > posted_total ORDER BY user_id, id`,
  '$1::timestamptz',
)}),
sessions AS (
  UPDATE proxy_sessions s
  SET charged_total = l.charged_after,
      charged_until = l.bill_to,
      posted_total = CASE WHEN l.post THEN l.charged_after ELSE l.posted_total END,
      posted_ms = CASE WHEN l.post THEN l.served ELSE l.posted_ms END,
      status = CASE WHEN l.end_reason IS NULL THEN 'active' ELSE 'ended' END,
      end_reason = l.end_reason,
      ended_at = CASE WHEN l.end_reason IS NULL THEN NULL ELSE $1::timestamptz END
  FROM lines l
  -- The rows are locked, so their addresses hold: read by address, never the whole table.
  WHERE s.ctid = l.row AND s.ctid = ANY (ARRAY(SELECT row FROM lines))
  RETURNING s.id, l.owed, l.charge, l.end_reason
),
announced AS (
  SELECT pg_notify('${SESSION_ENDED_CHANNEL}', id::text) FROM sessions WHERE end_reason IS NOT NULL
)
SELECT count(*)::int AS sessions,
       COALESCE(sum(owed), 0)::bigint AS owed,
       COALESCE(sum(charge), 0)::bigint AS charged,
       COALESCE(array_agg(id) FILTER (WHERE end_reason IS NOT NULL), '{}') AS ended,
       (SELECT count(*) FROM posted WHERE balance_after IS NOT NULL)::int AS entries,
       (SELECT count(*) FROM announced)::int AS announced
FROM sessions`;

/**
 * One metering batch, first statement: $1 now, $2 lost-before, and a span of user
 * ids `($3, $4]` (a batch holds all of a user's sessions, and no two batches of a
 * tick share a wallet; two processes' ticks may overlap, which the session locks,
 * taken first, make safe).
 *
 * One UPDATE finds, locks and charges every due session of the span as if its user
 * can pay in full (a row changed since the statement began is re-read and
 * re-checked, so a concurrent heartbeat, disconnect or second worker is seen: a
 * session another transaction just charged is no longer due); `ledger_debit` then
 * takes each user's total from the balances that cover it, as nearly all do. Returns
 * the totals and the few sessions that need more (`FOLLOW_UP_SQL`, in the same
 * transaction): those whose user's balance did not cover them (`ledger_post` clamps
 * them there), whose client is lost, or that were served into a new hour (a usage
 * line to post). `last_charge` carries each charge out of the UPDATE, whose
 * RETURNING sees only the new row, to the second statement.
 */
export const CHARGE_BATCH_SQL = `
WITH charged AS (
  UPDATE proxy_sessions s
  SET last_charge = ${OWED}, charged_total = s.charged_total + ${OWED}, charged_until = ${BILL_TO}
  WHERE s.status = 'active' AND s.user_id > $3::uuid AND s.user_id <= $4::uuid
    AND (s.charged_until < LEAST($1::timestamptz, s.last_heartbeat_at) OR ${LOST})
  RETURNING s.id, s.user_id, s.last_charge AS owed, ${LOST} AS lost,
            ${served('s.charged_until', 's')} / ${HOUR_MS} > s.posted_ms / ${HOUR_MS} AS new_hour
),
paid AS (${ledgerDebitSql('SELECT user_id, sum(owed)::bigint AS amount FROM charged GROUP BY user_id', '$1::timestamptz')}),
outcome AS (
  SELECT c.*, p.user_id IS NULL AS unpaid FROM charged c LEFT JOIN paid p ON p.user_id = c.user_id
)
SELECT count(*)::int AS sessions,
       COALESCE(sum(owed), 0)::bigint AS charged,
       COALESCE(array_agg(id) FILTER (WHERE unpaid OR lost OR new_hour), '{}') AS follow_ids,
       COALESCE(array_agg(unpaid) FILTER (WHERE unpaid OR lost OR new_hour), '{}') AS follow_unpaid,
       COALESCE(array_agg(lost) FILTER (WHERE unpaid OR lost OR new_hour), '{}') AS follow_lost
FROM outcome`;

/**
 * One metering batch, second statement, for the sessions the first one returned
 * (locked by it, and charged `last_charge` there): $1 now, then per session $2 id,
 * $3 whether its user's balance did not cover it, $4 whether its client is lost.
 * `ledger_post` takes the unpaid ones' charges from the balance, in user then id
 * order, clamping; what a balance could not pay comes back off the session, which
 * ends `insufficient_credits` with any session that emptied it. Then the usage
 * lines owed are posted, the sessions that end are ended and announced.
 */
export const FOLLOW_UP_SQL = `
WITH f AS (SELECT * FROM unnest($2::uuid[], $3::bool[], $4::bool[]) AS f (id, unpaid, lost)),
due AS MATERIALIZED (
  SELECT ${SESSION_COLUMNS}, s.last_charge AS owed, s.charged_until AS bill_to, f.unpaid, f.lost
  FROM f JOIN proxy_sessions s ON s.id = f.id
  WHERE s.id = ANY ($2::uuid[])
),
debited AS (${debit('id', 'unpaid')}),
charged AS (
  SELECT d.*, COALESCE(-p.applied, d.owed) - d.owed AS charge,
         CASE WHEN d.lost THEN 'client_lost'
              WHEN -p.applied < d.owed OR p.balance = 0 THEN 'insufficient_credits' END AS end_reason
  FROM due d LEFT JOIN debited p ON p.session_id = d.id
),${SETTLE}`;

/**
 * Applies charges `planCharges` decided on rows the caller has locked (a disconnect,
 * an exhaustion end): $1 now, then per session in plan order $2 id, $3 charge,
 * $4 bill_to, $5 end reason.
 */
export const WRITE_CHARGES_SQL = `
WITH planned AS (
  SELECT * FROM unnest($2::uuid[], $3::int8[], $4::timestamptz[], $5::text[]) WITH ORDINALITY
    AS p (id, charge, bill_to, end_reason, n)
),
due AS MATERIALIZED (
  SELECT ${SESSION_COLUMNS}, p.charge AS owed, p.bill_to, p.end_reason AS planned_end, p.n
  FROM planned p JOIN proxy_sessions s ON s.id = p.id
),
debited AS (${debit('n')}),
charged AS (
  SELECT d.*, -p.applied AS charge, d.planned_end AS end_reason
  FROM due d JOIN debited p ON p.session_id = d.id
),${SETTLE}`;
