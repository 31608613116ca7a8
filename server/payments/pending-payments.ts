import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors.ts';
import { isUuid } from '../../shared/ids.ts';
import type { MicroCredits } from '../../shared/money.ts';
import type { CreditPackage } from '../../shared/packages.ts';
import type { Queryable } from '../db/types.ts';

export type PaymentStatus = 'pending' | 'paid' | 'failed' | 'refunded';

export interface Payment {
  id: string;
  userId: string;
  packageId: string;
  provider: string;
  providerReference: string;
  /** In the currency's subunits (cents). */
  amount: number;
  currency: string;
  credits: MicroCredits;
  bonus: MicroCredits;
  status: PaymentStatus;
  checkoutUrl: string | null;
  refundShortfall: MicroCredits;
  createdAt: Date;
  paidAt: Date | null;
}

export interface PaymentRow {
  id: string;
  user_id: string;
  package: string;
  provider: string;
  provider_reference: string;
  amount: bigint;
  currency: string;
  credits: bigint;
  bonus: bigint;
  status: PaymentStatus;
  checkout_url: string | null;
  refund_shortfall: bigint;
  created_at: Date;
  paid_at: Date | null;
}

export function paymentFromRow(row: PaymentRow): Payment {
  return {
    id: row.id,
    userId: row.user_id,
    packageId: row.package,
    provider: row.provider,
    providerReference: row.provider_reference,
    amount: Number(row.amount),
    currency: row.currency,
    credits: row.credits,
    bonus: row.bonus,
    status: row.status,
    checkoutUrl: row.checkout_url,
    refundShortfall: row.refund_shortfall,
    createdAt: row.created_at,
    paidAt: row.paid_at,
  };
}

export interface NewPayment {
  userId: string;
  pkg: CreditPackage;
  provider: string;
  /** Our reference, sent to the provider; one payment per reference. */
  reference?: string;
  currency?: string;
  checkoutUrl?: string | null;
  at?: number;
}

/** Records a payment the user has started; nothing is credited until it is confirmed. */
export async function createPendingPayment(db: Queryable, payment: NewPayment): Promise<Payment> {
  if (!isUuid(payment.userId)) throw new AppError('unknown_user', 'no such user');
  const at = payment.at === undefined ? null : new Date(payment.at).toISOString();
  const { rows } = await db.query<PaymentRow>(
    `INSERT INTO payments (user_id, package, provider, provider_reference, amount, currency, credits, bonus,
       checkout_url, created_at)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, COALESCE($10::timestamptz, now())
     WHERE EXISTS (SELECT 1 FROM users WHERE id = $1)
     RETURNING *`,
    [
      payment.userId,
      payment.pkg.id,
      payment.provider,
      payment.reference ?? `atl_${randomUUID()}`,
      payment.pkg.priceCents,
      payment.currency ?? 'USD',
      payment.pkg.credits,
      payment.pkg.bonus,
      payment.checkoutUrl ?? null,
      at,
    ],
  );
  if (!rows[0]) throw new AppError('unknown_user', 'no such user');
  return paymentFromRow(rows[0]);
}

/** Locks the payment for the rest of the transaction. */
export async function lockPayment(tx: Queryable, paymentId: string): Promise<Payment> {
  if (!isUuid(paymentId)) throw new AppError('unknown_payment', 'no such payment');
  const { rows } = await tx.query<PaymentRow>('SELECT * FROM payments WHERE id = $1 FOR UPDATE', [paymentId]);
  if (!rows[0]) throw new AppError('unknown_payment', 'no such payment');
  return paymentFromRow(rows[0]);
}
