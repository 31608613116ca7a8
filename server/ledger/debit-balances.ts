/**
 * The metering minute's fast path into the books, as SQL for a statement that
 * decides the amounts itself: `ledger_debit` (migration 011) takes from each
 * user's balance what they owe, with no entry, when the balance covers it with
 * room to spare, and leaves every other user's wallet untouched for
 * `ledger_post` to clamp. `owed` is a SELECT of distinct `user_id` and `amount`
 * (≥ 0); `at` the time (an SQL expression). Yields the users it moved, each
 * with its balance after.
 */
export function ledgerDebitSql(owed: string, at: string): string {
  return `SELECT d.* FROM (SELECT array_agg(o.user_id) AS users, array_agg(o.amount) AS amounts FROM (${owed}) AS o) a,
          ledger_debit(a.users, a.amounts, ${at}) d
          WHERE a.users IS NOT NULL`;
}
