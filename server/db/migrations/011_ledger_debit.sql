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
-- `users` are distinct, `amounts` ≥ 0 what each owes. Locks in the order its scan meets
-- the rows: metering batches split users, not sessions, so no two share a wallet.
CREATE FUNCTION ledger_debit(users uuid[], amounts bigint[], at timestamptz)
RETURNS TABLE (user_id uuid, balance bigint)
LANGUAGE plpgsql AS $fn$
#variable_conflict use_column
BEGIN
  IF EXISTS (SELECT 1 FROM unnest(amounts) a WHERE a < 0 OR a IS NULL) THEN
    RAISE EXCEPTION 'ledger_debit: amounts must be >= 0' USING ERRCODE = 'check_violation';
  END IF;
  RETURN QUERY
  UPDATE wallets w
  SET balance = w.balance - d.amount, total_spent = w.total_spent + d.amount, updated_at = COALESCE(at, now())
  FROM unnest(users, amounts) AS d (user_id, amount)
  -- By key (ANY): a join alone read every wallet when nested loops are off, as the tick has them.
  -- Strictly more than owed: a debit that empties the balance ends sessions, which is ledger_post's.
  WHERE w.user_id = d.user_id AND w.user_id = ANY (users) AND w.balance > d.amount
  RETURNING w.user_id, w.balance;

  -- A bulk move: one notice for any wallet.
  PERFORM pg_notify('atlantic_wallet_changed', '*');
END
$fn$;
