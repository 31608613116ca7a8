import type { Queryable } from '../db/types.ts';
import { paymentFromRow, type Payment, type PaymentRow } from './pending-payments.ts';

/** A user's own payments, newest first (paid, pending, cancelled, expired, refunded alike). */
export async function listPayments(db: Queryable, userId: string, limit: number): Promise<Payment[]> {
  const { rows } = await db.query<PaymentRow>(
    'SELECT * FROM payments WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2',
    [userId, limit],
  );
  return rows.map(paymentFromRow);
}
