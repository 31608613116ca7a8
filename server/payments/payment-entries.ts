import { instant } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import type { MicroCredits } from '../../shared/money.ts';
import type { Db } from '../db/types.ts';
import { expireIfLapsed, lockPayment, markPaid, markRefunded, type Payment } from './pending-payments.ts';
import { postEntry } from '../ledger/post-entry.ts';
import { packageNameOfId } from '../../shared/display.ts';

export interface GrantResult {
  payment: Payment;
  /** False when the payment had already been credited: a repeat confirmation. */
  granted: boolean;
}

/**
 * Marks a confirmed payment paid and credits its package and bonus, exactly once
 * however many webhooks and verify calls race: the payment row is the lock.
 */
export async function grantPayment(db: Db, paymentId: string, at?: number): Promise<GrantResult> {
  if (at !== undefined) instant(at, 'at');
  return db.transaction(async (tx) => {
    const payment = await lockPayment(tx, paymentId);
    // Paid or refunded: a repeat confirmation. Failed (cancelled, declined, expired):
    // never credited; a late capture is for the operator to reconcile and refund.
    if (payment.status !== 'pending') return { payment, granted: false };
    const lapsed = await expireIfLapsed(tx, paymentId, at ?? Date.now());
    if (lapsed) return { payment: lapsed, granted: false };
    const paid = await markPaid(tx, paymentId, at);
    const base = { userId: payment.userId, paymentId, at };
    await postEntry(tx, {
      ...base,
      kind: 'purchase',
      amount: payment.credits,
      idempotencyKey: `payment:${paymentId}:purchase`,
      description: `Purchase: ${packageNameOfId(payment.packageId)}`,
    });
    if (payment.bonus > 0n) {
      await postEntry(tx, {
        ...base,
        kind: 'bonus',
        amount: payment.bonus,
        idempotencyKey: `payment:${paymentId}:bonus`,
        description: `Bonus: ${packageNameOfId(payment.packageId)}`,
      });
    }
    return { payment: paid, granted: true };
  });
}

export interface RefundResult {
  payment: Payment;
  /** What was taken back from the balance. */
  clawedBack: MicroCredits;
  /** What the balance no longer held and could not be taken back. */
  shortfall: MicroCredits;
  refunded: boolean;
}

/**
 * Takes back a paid payment's credits and bonus. The balance never goes below
 * zero: what was already spent is recorded on the payment as the shortfall.
 */
export async function refundPayment(db: Db, paymentId: string, reason: string, at?: number): Promise<RefundResult> {
  if (at !== undefined) instant(at, 'at');
  return db.transaction(async (tx) => {
    const payment = await lockPayment(tx, paymentId);
    if (payment.status === 'refunded') {
      const total = payment.credits + payment.bonus;
      return {
        payment,
        clawedBack: total - payment.refundShortfall,
        shortfall: payment.refundShortfall,
        refunded: false,
      };
    }
    if (payment.status !== 'paid') {
      throw new AppError('payment_not_refundable', `a ${payment.status} payment cannot be refunded`);
    }
    const total = payment.credits + payment.bonus;
    const { shortfall } = await postEntry(tx, {
      userId: payment.userId,
      paymentId,
      kind: 'refund',
      amount: -total,
      idempotencyKey: `payment:${paymentId}:refund`,
      description: `Refund: ${packageNameOfId(payment.packageId)}`,
      metadata: { reason },
      clampToBalance: true,
      at,
    });
    const refunded = await markRefunded(tx, paymentId, shortfall);
    return { payment: refunded, clawedBack: total - shortfall, shortfall, refunded: true };
  });
}
