import { expect, it } from 'vitest';
import { isAppError } from '../../../shared/errors.ts';
import { credits } from '../../../shared/money.ts';
import { findPackage } from '../../../shared/packages.ts';
import { debit } from '../../../server/ledger/ledger.ts';
import { grantPayment, refundPayment } from '../../../server/payments/payment-entries.ts';
import { verifyLedger } from '../../../server/ledger/verify-ledger.ts';
import { createPendingPayment } from '../../../server/payments/pending-payments.ts';
import { describeEachEngine } from '../../support/engines.ts';
import { balanceOf, userWithBalance } from '../../support/fixtures.ts';

describeEachEngine('payment entries', (db) => {
  async function paidPackage(userId: string, amount: number) {
    const payment = await createPendingPayment(db(), { userId, pkg: findPackage({ amount }), provider: 'sandbox' });
    await grantPayment(db(), payment.id);
    return payment;
  }

  it('credits a $25 purchase as 25 + 2 bonus, once, however often it is confirmed', async () => {
    const userId = await userWithBalance(db());
    const payment = await createPendingPayment(db(), { userId, pkg: findPackage({ amount: 25 }), provider: 'sandbox' });
    expect(await balanceOf(db(), userId)).toBe(0n);

    const first = await grantPayment(db(), payment.id);
    const again = await grantPayment(db(), payment.id);
    expect(first).toMatchObject({ granted: true, payment: { status: 'paid' } });
    expect(again.granted).toBe(false);
    expect(await balanceOf(db(), userId)).toBe(credits('27'));

    const { rows } = await db().query<{ kind: string; amount: bigint }>(
      'SELECT kind, amount FROM ledger_entries WHERE payment_id = $1 ORDER BY id',
      [payment.id],
    );
    expect(rows).toEqual([
      { kind: 'purchase', amount: credits('25') },
      { kind: 'bonus', amount: credits('2') },
    ]);
    expect(await verifyLedger(db())).toEqual([]);
  });

  it('refunds the purchase and its bonus', async () => {
    const userId = await userWithBalance(db());
    const payment = await paidPackage(userId, 50);
    const result = await refundPayment(db(), payment.id, 'customer request');
    expect(result).toMatchObject({ clawedBack: credits('55'), shortfall: 0n, payment: { status: 'refunded' } });
    expect(await balanceOf(db(), userId)).toBe(0n);
    // A second refund is a no-op that reports the first.
    expect(await refundPayment(db(), payment.id, 'again')).toMatchObject({
      refunded: false,
      clawedBack: credits('55'),
    });
    expect(await verifyLedger(db())).toEqual([]);
  });

  it('never takes the balance below zero on refund and records what could not be taken back', async () => {
    const userId = await userWithBalance(db());
    const payment = await paidPackage(userId, 10);
    await debit(db(), { userId, kind: 'adjustment', amount: credits('7'), idempotencyKey: 'spent' });
    const result = await refundPayment(db(), payment.id, 'chargeback');
    expect(result).toMatchObject({ clawedBack: credits('3'), shortfall: credits('7') });
    expect(result.payment.refundShortfall).toBe(credits('7'));
    expect(await balanceOf(db(), userId)).toBe(0n);
    expect(await verifyLedger(db())).toEqual([]);
  });

  it('refuses to refund a payment that was never paid, and unknown payments', async () => {
    const userId = await userWithBalance(db());
    const pending = await createPendingPayment(db(), { userId, pkg: findPackage({ amount: 5 }), provider: 'sandbox' });
    const notPaid = await refundPayment(db(), pending.id, 'x').catch((e: unknown) => e);
    expect(isAppError(notPaid, 'payment_not_refundable')).toBe(true);
    for (const id of ['nope', '00000000-0000-4000-8000-000000000000']) {
      expect(isAppError(await grantPayment(db(), id).catch((e: unknown) => e), 'unknown_payment')).toBe(true);
    }
    expect(await balanceOf(db(), userId)).toBe(0n);
  });
});
