import type { Queryable } from '../db/types.ts';
import { announceWalletChanges } from '../ledger/wallet-changes.ts';
import type { PlannedCharge } from './plan-charges.ts';
import { announceEnded } from './session-events.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Applies planned charges set-based: one statement each for wallets, ledger
 * entries and sessions, however many sessions. The caller holds the session and
 * wallet locks; `planned` must come from `planCharges` on those locked rows.
 */
export async function writeCharges(tx: Queryable, planned: readonly PlannedCharge[], now: number): Promise<void> {
  if (planned.length === 0) return;
  const charged = planned.filter((p) => p.charge > 0n);

  if (charged.length > 0) {
    const perUser = new Map<string, bigint>();
    for (const p of charged) perUser.set(p.userId, (perUser.get(p.userId) ?? 0n) + p.charge);
    await tx.query(
      `UPDATE wallets w SET balance = w.balance - c.amount, total_spent = w.total_spent + c.amount, updated_at = $3
       FROM unnest($1::uuid[], $2::int8[]) AS c (user_id, amount)
       WHERE w.user_id = c.user_id`,
      [[...perUser.keys()], [...perUser.values()], iso(now)],
    );
    // Rows are inserted in array order, so each user's entries get ascending ids
    // matching their running balance_after.
    await tx.query(
      `INSERT INTO ledger_entries (user_id, kind, amount, balance_after, session_id, idempotency_key, description, created_at)
       SELECT c.user_id, 'usage', -c.amount, c.balance_after, c.session_id,
              'usage:' || c.session_id || ':' || c.bill_to_ms, 'Proxy usage', $6
       FROM unnest($1::uuid[], $2::int8[], $3::int8[], $4::uuid[], $5::int8[])
         AS c (user_id, amount, balance_after, session_id, bill_to_ms)`,
      [
        charged.map((p) => p.userId),
        charged.map((p) => p.charge),
        charged.map((p) => p.balanceAfter),
        charged.map((p) => p.sessionId),
        charged.map((p) => BigInt(p.billTo)),
        iso(now),
      ],
    );
  }

  await tx.query(
    `UPDATE proxy_sessions s
     SET charged_total = s.charged_total + c.charge,
         charged_until = c.bill_to,
         status = CASE WHEN c.end_reason IS NULL THEN 'active' ELSE 'ended' END,
         end_reason = c.end_reason,
         ended_at = CASE WHEN c.end_reason IS NULL THEN NULL ELSE $5::timestamptz END
     FROM unnest($1::uuid[], $2::int8[], $3::timestamptz[], $4::text[]) AS c (id, charge, bill_to, end_reason)
     WHERE s.id = c.id`,
    [
      planned.map((p) => p.sessionId),
      planned.map((p) => p.charge),
      planned.map((p) => iso(p.billTo)),
      planned.map((p) => p.endReason),
      iso(now),
    ],
  );
  await announceEnded(
    tx,
    planned.filter((p) => p.endReason !== null).map((p) => p.sessionId),
  );
  await announceWalletChanges(
    tx,
    planned.map((p) => p.userId),
  );
}
