-- The metering minute's fast path into the books.
--
-- Every minute the tick takes what each live session owes from its user's balance,
-- with no ledger entry (usage is posted once per session-hour by ledger_post). Through
-- ledger_post that is a lock of every wallet, then a second visit to move it, and the
-- machinery that clamps, orders and writes entries: about half of a tick at 1,000,000
-- sessions, for users who nearly all can pay. ledger_debit moves the balances that cover
-- their debit with room to spare in one guarded UPDATE (PostgreSQL re-checks the guard
-- on the newest row if another transaction changed it first) and returns those users;
-- it leaves every other user's wallet untouched, for ledger_post to clamp and end.
-- `amounts[i]` ≥ 0 is what `users[i]` owes (a user named twice owes the sum). Locks the
-- wallets in the order its scan meets them, after the caller has locked the sessions whose
-- charges these are; ledger_post's user order matters where several wallets are locked
-- with nothing locked before them.
CREATE FUNCTION ledger_debit(users uuid[], amounts bigint[], at timestamptz)
RETURNS TABLE (user_id uuid, balance bigint)
LANGUAGE plpgsql AS $fn$
#variable_conflict use_column
DECLARE
  moved bigint;
BEGIN
  IF cardinality(users) IS DISTINCT FROM cardinality(amounts)
     OR EXISTS (SELECT 1 FROM unnest(users, amounts) AS d (u, a) WHERE u IS NULL OR a IS NULL OR a < 0) THEN
    RAISE EXCEPTION 'ledger_debit: one amount >= 0 per user' USING ERRCODE = 'check_violation';
  END IF;
  RETURN QUERY
  UPDATE wallets w
  SET balance = w.balance - d.amount, total_spent = w.total_spent + d.amount, updated_at = COALESCE(at, now())
  FROM (SELECT u AS user_id, sum(a)::bigint AS amount FROM unnest(users, amounts) AS x (u, a) GROUP BY u) d
  -- By key (ANY): a join alone read every wallet when nested loops are off, as the tick has them.
  -- Strictly more than owed: a debit that empties the balance ends sessions, which is ledger_post's.
  WHERE w.user_id = d.user_id AND w.user_id = ANY (users) AND w.balance > d.amount
  RETURNING w.user_id, w.balance;
  GET DIAGNOSTICS moved = ROW_COUNT;

  -- A bulk move: one notice for any wallet.
  IF moved > 0 THEN
    PERFORM pg_notify('atlantic_wallet_changed', '*');
  END IF;
END
$fn$;
