import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../../server/ledger/verify-ledger.ts';
import { expirePendingPayments } from '../../../server/payments/pending-payments.ts';
import { ENGINES } from '../../support/engines.ts';
import { MINUTE } from '../../support/fake-clock.ts';
import { BONUS_MICRO, PaymentsWorld, PURCHASE_MICRO, type Purchase } from './payments-world.ts';

const EXPIRY_MINUTES = 30;

for (const engine of ENGINES) {
  describe(`payments: pending checkouts expire after PAYMENT_EXPIRY_MINUTES [${engine}]`, () => {
    let world: PaymentsWorld;
    beforeAll(async () => {
      world = await PaymentsWorld.start(engine, { PAYMENT_EXPIRY_MINUTES: String(EXPIRY_MINUTES) });
    });
    afterAll(async () => world?.stop());

    const expire = () => expirePendingPayments(world.db, world.service.clock.now());

    async function expiresAt(purchase: Purchase): Promise<number> {
      const { rows } = await world.db.query<{ expires_at: Date }>('SELECT expires_at FROM payments WHERE id = $1', [
        purchase.paymentId,
      ]);
      return new Date(rows[0]!.expires_at).getTime();
    }

    it('expirePendingPayments fails them on the service clock; a later success is not credited', async () => {
      const user = await world.signUp();
      const t0 = world.service.clock.now();
      const paid = await world.purchase(user, 'sandbox', 10);
      await world.pay(paid, 'sandbox');
      const card = await world.purchase(user, 'paystack');
      const crypto = await world.purchase(user, 'crypto');
      const sandbox = await world.purchase(user, 'sandbox');
      for (const purchase of [card, crypto, sandbox]) {
        expect(await expiresAt(purchase)).toBe(t0 + EXPIRY_MINUTES * MINUTE);
      }
      world.service.clock.advance(20 * MINUTE);
      const later = await world.purchase(user, 'paystack');

      // A moment before the deadline nothing lapses.
      world.service.clock.set(t0 + EXPIRY_MINUTES * MINUTE - 1);
      expect(await expire()).toBe(0);
      world.service.clock.set(t0 + EXPIRY_MINUTES * MINUTE);
      expect(await expire()).toBe(3);
      expect(await expire()).toBe(0);
      for (const purchase of [card, crypto, sandbox]) {
        expect((await world.payment(user, purchase.paymentId)).body.status).toBe('failed');
        expect(await world.paymentRow(purchase.paymentId)).toMatchObject({ failure_reason: 'expired' });
      }
      expect((await world.payment(user, paid.paymentId)).body.status).toBe('paid');
      expect((await world.payment(user, later.paymentId)).body.status).toBe('pending');
      const balance = await world.balance(user);
      expect(balance).toBe(10_000_000);

      // The customers pay anyway, late: refused, nothing credited, for the operator to reconcile.
      const events = await world.expectNoChange(async () => {
        expect((await world.paystack.pay(card.reference))?.status).toBe(409);
        expect((await world.verify(user, card.paymentId)).body.status).toBe('failed');
        expect((await world.btcpay.settle(crypto.providerPaymentId!))?.status).toBe(409);
        expect((await world.verify(user, crypto.paymentId)).body.status).toBe('failed');
        const page = await world.service.call('POST', `${new URL(sandbox.checkoutUrl).pathname}/pay`);
        expect(page.body).not.toContain('Payment received');
        expect((await world.verify(user, sandbox.paymentId)).body.status).toBe('failed');
      });
      expect(events.map((e) => [e.payment_id, e.signature_valid, e.outcome.replace(/:.*/, '')])).toEqual([
        [card.paymentId, true, 'rejected'],
        [crypto.paymentId, true, 'rejected'],
      ]);

      // The later checkout is still open until its own deadline.
      world.service.clock.advance(15 * MINUTE);
      expect(await expire()).toBe(0);
      await world.pay(later, 'paystack');
      expect(await world.balance(user)).toBe(balance + PURCHASE_MICRO + BONUS_MICRO);
      expect(await verifyLedger(world.db)).toEqual([]);
    });

    // Nothing in the service calls expirePendingPayments: no worker, timer or CLI command does.
    it('past its deadline a checkout is not credited even if nobody has called expirePendingPayments', async () => {
      const user = await world.signUp();
      const card = await world.purchase(user, 'paystack');
      world.service.clock.advance((EXPIRY_MINUTES + 1) * MINUTE);
      await world.service.worker.tick(); // the service's periodic work, as the fake clock drives it

      await world.paystack.pay(card.reference);
      const status = (await world.payment(user, card.paymentId)).body.status;
      expect(
        { balance: await world.balance(user), entries: await world.entriesOf(card.paymentId) },
        `a Paystack charge.success ${EXPIRY_MINUTES + 1} min after the purchase, PAYMENT_EXPIRY_MINUTES=${EXPIRY_MINUTES}; payment is now ${status}`,
      ).toEqual({ balance: 0, entries: [] });
      expect(await verifyLedger(world.db)).toEqual([]);
    });
  });
}
