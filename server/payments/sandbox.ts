import { AppError } from '../../shared/errors.ts';
import { isUuid } from '../../shared/ids.ts';
import type { Db } from '../db/types.ts';
import { paymentFromRow, type Payment, type PaymentRow } from './pending-payments.ts';
import type { PaymentProvider } from './provider.ts';

/**
 * Test mode: the checkout is a page this service serves with Pay and Cancel
 * buttons. No money moves; credits are granted exactly as a real confirmation would.
 */
export const SANDBOX = 'sandbox';

export function sandboxProvider(publicUrl: string): PaymentProvider {
  return {
    method: SANDBOX,
    testMode: true,
    createCheckout: async (payment) => ({ checkoutUrl: `${publicUrl}/sandbox/checkout/${payment.id}` }),
    // The sandbox's "provider state" is the payment itself: its page confirms directly.
    verify: async (payment) => ({
      reference: payment.providerReference,
      status: payment.status,
      amount: payment.amount,
      currency: payment.currency,
      detail: payment.status,
    }),
  };
}

export async function findPayment(db: Db, paymentId: string): Promise<Payment> {
  if (!isUuid(paymentId)) throw new AppError('unknown_payment', 'no such payment');
  const { rows } = await db.query<PaymentRow>('SELECT * FROM payments WHERE id = $1', [paymentId]);
  if (!rows[0]) throw new AppError('unknown_payment', 'no such payment');
  return paymentFromRow(rows[0]);
}

/** A sandbox payment by id, for its checkout page; any other payment is unknown there. */
export async function findSandboxPayment(db: Db, paymentId: string): Promise<Payment> {
  const payment = await findPayment(db, paymentId);
  if (payment.provider !== SANDBOX) throw new AppError('unknown_payment', 'no such test-mode payment');
  return payment;
}
