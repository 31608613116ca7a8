import { AppError } from '../../shared/errors.ts';
import { isUuid } from '../../shared/ids.ts';
import type { Db, Queryable } from '../db/types.ts';
import { lockWallet } from '../ledger/wallets.ts';
import { createPendingPayment, type NewPayment, type Payment } from './pending-payments.ts';

/** The user's checkouts still waiting to be paid: pending and not past their expiry at `now`. */
export async function countOpenCheckouts(db: Queryable, userId: string, now: number): Promise<number> {
  const { rows } = await db.query<{ open: number }>(
    `SELECT count(*)::int AS open FROM payments
     WHERE user_id = $1 AND status = 'pending' AND (expires_at IS NULL OR expires_at > $2::timestamptz)`,
    [userId, new Date(now).toISOString()],
  );
  return rows[0]?.open ?? 0;
}

/**
 * Records a pending payment unless the user already has `max` checkouts open.
 * The count and the insert run under the user's wallet row lock (only read,
 * never written here), so parallel purchases queue and cannot all pass the count.
 */
export async function openCheckout(db: Db, payment: NewPayment & { at: number }, max: number): Promise<Payment> {
  if (!isUuid(payment.userId)) throw new AppError('unknown_user', 'no such user');
  return db.transaction(async (tx) => {
    await lockWallet(tx, payment.userId);
    const open = await countOpenCheckouts(tx, payment.userId, payment.at);
    if (open >= max) {
      throw new AppError(
        'too_many_open_checkouts',
        `you already have ${open} checkouts waiting for payment: pay or cancel one, or let it expire, before starting another`,
        { open_checkouts: open, limit: max },
      );
    }
    return createPendingPayment(tx, payment);
  });
}
