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
  providerPaymentId: string | null;
  expiresAt: Date | null;
  failureReason: string | null;
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
  provider_payment_id: string | null;
  expires_at: Date | null;
  failure_reason: string | null;
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
    providerPaymentId: row.provider_payment_id,
    expiresAt: row.expires_at,
    failureReason: row.failure_reason,
    createdAt: row.created_at,
    paidAt: row.paid_at,
  };
}

export interface NewPayment {
  userId: string;
  pkg: CreditPackage;
  provider: string;
  /** Our reference, sent to the provider; one payment per reference (letters, digits and - only: Paystack refuses _). */
  reference?: string;
  currency?: string;
  checkoutUrl?: string | null;
  at?: number;
  /** When an unpaid checkout lapses. */
  expiresAt?: number;
}

/** Records a payment the user has started; nothing is credited until it is confirmed. */
export async function createPendingPayment(db: Queryable, payment: NewPayment): Promise<Payment> {
  if (!isUuid(payment.userId)) throw new AppError('unknown_user', 'no such user');
  const at = payment.at === undefined ? null : new Date(payment.at).toISOString();
  const { rows } = await db.query<PaymentRow>(
    `INSERT INTO payments (user_id, package, provider, provider_reference, amount, currency, credits, bonus,
       checkout_url, created_at, expires_at)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, COALESCE($10::timestamptz, now()), $11::timestamptz
     WHERE EXISTS (SELECT 1 FROM users WHERE id = $1)
     RETURNING *`,
    [
      payment.userId,
      payment.pkg.id,
      payment.provider,
      payment.reference ?? `atl-${randomUUID()}`,
      payment.pkg.priceCents,
      payment.currency ?? payment.pkg.currency,
      payment.pkg.credits,
      payment.pkg.bonus,
      payment.checkoutUrl ?? null,
      at,
      payment.expiresAt === undefined ? null : new Date(payment.expiresAt).toISOString(),
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

/** Sets what the provider's checkout returned. */
export async function recordCheckout(
  db: Queryable,
  paymentId: string,
  checkout: { checkoutUrl: string; providerPaymentId?: string | undefined },
): Promise<void> {
  await db.query('UPDATE payments SET checkout_url = $2, provider_payment_id = $3 WHERE id = $1', [
    paymentId,
    checkout.checkoutUrl,
    checkout.providerPaymentId ?? null,
  ]);
}

/** A pending payment fails (cancelled, declined, expired); any other status stays as it is. */
export async function failPayment(db: Queryable, paymentId: string, reason: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE payments SET status = 'failed', failure_reason = $2 WHERE id = $1 AND status = 'pending'`,
    [paymentId, reason],
  );
  return rowCount > 0;
}

// An unpaid checkout past its expiry has failed, whether or not the expiry job has run yet.
const LAPSED = `status = 'pending' AND expires_at <= $1::timestamptz`;
const EXPIRE = `UPDATE payments SET status = 'failed', failure_reason = 'expired' WHERE ${LAPSED}`;

/** Lapses every pending checkout past its expiry; returns how many. */
export async function expirePendingPayments(db: Queryable, now: number): Promise<number> {
  const { rowCount } = await db.query(EXPIRE, [new Date(now).toISOString()]);
  return rowCount;
}

/** Lapses this payment if its checkout expired by `now`: the payment as it is then, or null if it had not. */
export async function expireIfLapsed(tx: Queryable, paymentId: string, now: number): Promise<Payment | null> {
  const { rows } = await tx.query<PaymentRow>(`${EXPIRE} AND id = $2 RETURNING *`, [
    new Date(now).toISOString(),
    paymentId,
  ]);
  return rows[0] ? paymentFromRow(rows[0]) : null;
}

/** Marks a pending payment paid (at `at`, or the database's clock). */
export async function markPaid(tx: Queryable, paymentId: string, at?: number): Promise<Payment> {
  const { rows } = await tx.query<PaymentRow>(
    `UPDATE payments SET status = 'paid', paid_at = COALESCE($2::timestamptz, now()) WHERE id = $1 RETURNING *`,
    [paymentId, at === undefined ? null : new Date(at).toISOString()],
  );
  return paymentFromRow(rows[0]!);
}

/** Marks a paid payment refunded, recording what the balance no longer held. */
export async function markRefunded(tx: Queryable, paymentId: string, shortfall: bigint): Promise<Payment> {
  const { rows } = await tx.query<PaymentRow>(
    `UPDATE payments SET status = 'refunded', refund_shortfall = $2 WHERE id = $1 RETURNING *`,
    [paymentId, shortfall],
  );
  return paymentFromRow(rows[0]!);
}

/** The payment a provider names, by our reference or by the provider's own id for it. */
export async function findProviderPayment(
  db: Queryable,
  provider: string,
  names: { reference?: string | null | undefined; providerPaymentId?: string | null | undefined },
): Promise<Payment | null> {
  // Two indexed lookups rather than one OR, which would scan every payment.
  const byReference = names.reference
    ? await db.query<PaymentRow>('SELECT * FROM payments WHERE provider_reference = $1 AND provider = $2', [
        names.reference,
        provider,
      ])
    : { rows: [] };
  const { rows } =
    byReference.rows.length > 0 || !names.providerPaymentId
      ? byReference
      : await db.query<PaymentRow>('SELECT * FROM payments WHERE provider_payment_id = $1 AND provider = $2', [
          names.providerPaymentId,
          provider,
        ]);
  return rows[0] ? paymentFromRow(rows[0]) : null;
}
