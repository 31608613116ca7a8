import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../../server/ledger/verify-ledger.ts';
import { ENGINES } from '../../support/engines.ts';
import { BONUS_MICRO, PaymentsWorld, PURCHASE_MICRO, type User } from './payments-world.ts';

for (const engine of ENGINES) {
  describe(`BTCPay refunds through Greenfield's invoice refund endpoint [${engine}]`, () => {
    let world: PaymentsWorld;
    let admin: User;
    beforeAll(async () => {
      world = await PaymentsWorld.start(engine);
      admin = await world.admin();
    });
    afterAll(async () => world?.stop());

    const refund = (paymentId: string) =>
      world.service.call('POST', `/api/admin/payments/${paymentId}/refund`, {
        token: admin.token,
        body: { reason: 'customer asked' },
      });

    it('an admin refund creates the invoice refund at BTCPay (fiat amount, on-chain) and claws back the credits', async () => {
      const user = await world.signUp();
      const purchase = await world.purchase(user, 'crypto');
      await world.pay(purchase, 'crypto');
      expect(await world.balance(user)).toBe(PURCHASE_MICRO + BONUS_MICRO);

      const answer = await refund(purchase.paymentId);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body).toMatchObject({ status: 'refunded', clawed_back_micro: PURCHASE_MICRO + BONUS_MICRO });
      expect(world.btcpay.refunds()).toEqual([
        expect.objectContaining({
          invoiceId: purchase.providerPaymentId,
          paymentMethod: 'BTC-CHAIN',
          refundVariant: 'Fiat',
          amount: '25.00',
          currency: 'USD',
          name: `Refund ${purchase.reference}`,
        }),
      ]);
      expect(await world.balance(user)).toBe(0);

      // A second refund is refused here and never reaches BTCPay again.
      const again = await refund(purchase.paymentId);
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('payment_not_refundable');
      expect(world.btcpay.refunds()).toHaveLength(1);
      expect(await verifyLedger(world.db)).toEqual([]);
    });

    it('when BTCPay refuses the refund, no credits are taken and the payment stays paid', async () => {
      const user = await world.signUp();
      const purchase = await world.purchase(user, 'crypto');
      await world.pay(purchase, 'crypto');
      // Marked invalid at BTCPay behind our back: Greenfield will not refund it.
      await world.btcpay.invalidate(purchase.providerPaymentId!, { webhook: false });
      const before = world.btcpay.refunds().length;
      await world.expectNoChange(async () => {
        const refused = await refund(purchase.paymentId);
        expect(refused.status).toBe(502);
        expect(refused.body.error.code).toBe('provider_unavailable');
      });
      expect(world.btcpay.refunds()).toHaveLength(before);
      expect((await world.paymentRow(purchase.paymentId))?.status).toBe('paid');
    });
  });
}
