-- One writer of the books, and one usage line per session-hour.
--
-- The balance moves every minute, but a live session's usage is posted to the ledger
-- once per hour it is served and once when it ends. So a wallet keeps two figures:
--   balance         what the user holds now (available), moved every minute;
--   posted_balance  the sum of its ledger entries, moved when a line is posted;
-- and balance = posted_balance − Σ (charged_total − posted_total) of the user's sessions
-- (usage accrued by live sessions and not yet posted). Each entry's balance_after is the
-- posted balance after it, so the ledger reads as a statement whose lines add up.
ALTER TABLE wallets ADD COLUMN posted_balance bigint NOT NULL DEFAULT 0 CHECK (posted_balance >= 0);
UPDATE wallets SET posted_balance = balance;

-- What of charged_total is in the ledger, and through how many served ms.
ALTER TABLE proxy_sessions ADD COLUMN posted_total bigint NOT NULL DEFAULT 0 CHECK (posted_total >= 0);
ALTER TABLE proxy_sessions ADD COLUMN posted_ms bigint NOT NULL DEFAULT 0 CHECK (posted_ms >= 0);
UPDATE proxy_sessions
SET posted_total = charged_total,
    posted_ms = GREATEST(0, floor(extract(epoch FROM charged_until - started_at) * 1000)::bigint - unserved_ms);

-- One change to the books. `amount` moves the balance now; an entry is written when
-- `post`, for `accrued + amount` (accrued: earlier moves of the balance it now posts).
CREATE TYPE ledger_move AS (
  user_id         uuid,
  kind            text,
  amount          bigint,
  accrued         bigint,
  post            boolean,
  -- A debit takes what the balance holds rather than failing.
  clamp           boolean,
  session_id      uuid,
  payment_id      uuid,
  idempotency_key text,
  description     text,
  metadata        jsonb
);

-- The only code that writes wallets and ledger_entries, set-based so the metering tick
-- posts thousands of moves in one call without them travelling to the application:
-- locks the wallets in user order (one order for every writer, so none deadlock), takes
-- each user's moves in array order clamping debits to what is left, writes the entries
-- with each balance_after, moves balances and totals, and announces the changed wallets.
-- A reused idempotency key violates ledger_entries' unique key and undoes the transaction.
-- In one call a user's clamped debits must come before any credit of theirs.
-- Returns, per move in order: what it applied, the balance after it, and the posted
-- balance after its entry (null when it wrote none).
-- It reaches the moved users' wallets by key only (the LATERAL lookups, `= ANY (users)`):
-- a scan of the whole table, or a merge join along all of its index, was the planner's
-- choice for a few thousand users, and made each tick batch read every wallet (at
-- 1,000,000 users the tick grew with the square of the table).
CREATE FUNCTION ledger_post(moves ledger_move[], at timestamptz)
RETURNS TABLE (n bigint, user_id uuid, session_id uuid, applied bigint, balance bigint, balance_after bigint)
LANGUAGE plpgsql AS $fn$
#variable_conflict use_column
DECLARE
  users uuid[] := ARRAY(SELECT DISTINCT m.user_id FROM unnest(moves) m ORDER BY 1);
  posted_moves bigint;
BEGIN
  RETURN QUERY
  WITH locked AS MATERIALIZED (
    SELECT u AS user_id, w.balance AS opening, w.posted_balance AS posted_opening
    FROM unnest(users) u,
         LATERAL (SELECT balance, posted_balance FROM wallets w WHERE w.user_id = u FOR UPDATE) w
  ),
  m AS (
    SELECT x.*, x.ordinality AS n, l.opening, l.posted_opening
    FROM unnest(moves) WITH ORDINALITY AS x JOIN locked l ON l.user_id = x.user_id
  ),
  taken AS (
    SELECT m.*,
           CASE WHEN m.clamp AND m.amount < 0
                THEN GREATEST(m.amount, -GREATEST(0, m.opening + COALESCE(sum(m.amount) OVER earlier, 0)))::bigint
                ELSE m.amount END AS applied
    FROM m
    WINDOW earlier AS (PARTITION BY m.user_id ORDER BY m.n ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
  ),
  running AS (
    SELECT t.*,
           CASE WHEN t.post THEN t.accrued + t.applied ELSE 0 END AS entry_amount,
           (t.opening + sum(t.applied) OVER upto)::bigint AS balance_now,
           (t.posted_opening + sum(CASE WHEN t.post THEN t.accrued + t.applied ELSE 0 END) OVER upto)::bigint
             AS posted_now
    FROM taken t
    WINDOW upto AS (PARTITION BY t.user_id ORDER BY t.n)
  ),
  moved AS (
    UPDATE wallets w
    SET balance = w.balance + d.applied,
        posted_balance = w.posted_balance + d.posted,
        total_purchased = w.total_purchased + d.purchased,
        total_spent = w.total_spent + d.spent,
        updated_at = COALESCE(at, now())
    FROM (SELECT r.user_id, sum(r.applied)::bigint AS applied, sum(r.entry_amount)::bigint AS posted,
                 COALESCE(sum(r.applied) FILTER (WHERE r.kind IN ('purchase', 'bonus')), 0)::bigint AS purchased,
                 COALESCE(-sum(r.applied) FILTER (WHERE r.kind = 'usage'), 0)::bigint AS spent
          FROM running r GROUP BY r.user_id
          HAVING bool_or(r.applied <> 0 OR r.entry_amount <> 0)) d
    WHERE w.user_id = d.user_id AND w.user_id = ANY (users)
  ),
  entries AS (
    INSERT INTO ledger_entries (user_id, kind, amount, balance_after, session_id, payment_id, idempotency_key,
                                description, metadata, created_at)
    SELECT r.user_id, r.kind, r.entry_amount, r.posted_now, r.session_id, r.payment_id, r.idempotency_key,
           COALESCE(r.description, ''), COALESCE(r.metadata, '{}'), COALESCE(at, now())
    FROM running r
    WHERE r.entry_amount <> 0
    ORDER BY r.user_id, r.n
  )
  SELECT r.n, r.user_id, r.session_id, r.applied, r.balance_now, CASE WHEN r.entry_amount <> 0 THEN r.posted_now END
  FROM running r
  ORDER BY r.n;
  GET DIAGNOSTICS posted_moves = ROW_COUNT;
  IF posted_moves < cardinality(moves) THEN
    RAISE EXCEPTION 'ledger_post: no wallet for some user' USING ERRCODE = 'foreign_key_violation';
  END IF;

  -- A tick changes thousands of wallets at once: one notice for all of them then.
  IF cardinality(users) > 100 THEN
    PERFORM pg_notify('atlantic_wallet_changed', '*');
  ELSE
    PERFORM pg_notify('atlantic_wallet_changed', u::text) FROM unnest(users) u;
  END IF;
END
$fn$;
