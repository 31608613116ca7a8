import { AppError } from '../../shared/errors.ts';
import { isUuid } from '../../shared/ids.ts';
import type { Db } from '../db/types.ts';
import { grantPayment } from '../ledger/payment-entries.ts';
import { paymentFromRow, type Payment, type PaymentRow } from './pending-payments.ts';

/**
 * Test mode: the checkout is a page this service serves with Pay and Cancel
 * buttons. No money moves; credits are granted exactly as a real confirmation would.
 */
export const SANDBOX = 'sandbox';

export function sandboxCheckoutUrl(publicUrl: string, paymentId: string): string {
  return `${publicUrl}/sandbox/checkout/${paymentId}`;
}

export async function findPayment(db: Db, paymentId: string): Promise<Payment> {
  if (!isUuid(paymentId)) throw new AppError('unknown_payment', 'no such payment');
  const { rows } = await db.query<PaymentRow>('SELECT * FROM payments WHERE id = $1', [paymentId]);
  if (!rows[0]) throw new AppError('unknown_payment', 'no such payment');
  return paymentFromRow(rows[0]);
}

async function sandboxPayment(db: Db, paymentId: string): Promise<Payment> {
  const payment = await findPayment(db, paymentId);
  if (payment.provider !== SANDBOX) throw new AppError('unknown_payment', 'no such test-mode payment');
  return payment;
}

/** The Pay button: confirms the payment, which credits it once. */
export async function paySandbox(db: Db, paymentId: string, at: number): Promise<Payment> {
  await sandboxPayment(db, paymentId);
  return (await grantPayment(db, paymentId, at)).payment;
}

/** The Cancel button: a pending payment fails; anything else stays as it is. */
export async function cancelSandbox(db: Db, paymentId: string): Promise<Payment> {
  await sandboxPayment(db, paymentId);
  await db.query(`UPDATE payments SET status = 'failed' WHERE id = $1 AND status = 'pending'`, [paymentId]);
  return findPayment(db, paymentId);
}
