import type { TestService } from '../../support/test-service.ts';

/** What money and access depend on: a refused request must leave all of it as it was. */
export async function snapshot(service: TestService) {
  const { rows } = await service.db.query(
    `SELECT (SELECT count(*)::int FROM ledger_entries) AS ledger_entries,
            (SELECT count(*)::int FROM payments) AS payments,
            (SELECT string_agg(id || ':' || status, ',' ORDER BY id) FROM payments) AS payment_states,
            (SELECT count(*)::int FROM proxy_sessions) AS proxy_sessions,
            (SELECT string_agg(id || ':' || status || ':' || last_heartbeat_at || ':' || charged_total, ',' ORDER BY id)
               FROM proxy_sessions) AS session_states,
            (SELECT COALESCE(sum(balance), 0)::text FROM wallets) AS balances,
            (SELECT count(*)::int FROM users) AS users,
            (SELECT count(*)::int FROM users WHERE role = 'admin') AS admins,
            (SELECT count(*)::int FROM auth_tokens) AS tokens`,
  );
  return rows[0];
}
