import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../../server/ledger/verify-ledger.ts';
import { ENGINES } from '../../support/engines.ts';
import { BONUS_MICRO, PaymentsWorld, PURCHASE_MICRO, type Purchase, type User } from './payments-world.ts';

for (const engine of ENGINES) {
  describe(`payments end to end over HTTP: purchase $25 → checkout → payment → confirmation [${engine}]`, () => {
    let world: PaymentsWorld;
    beforeAll(async () => {
      world = await PaymentsWorld.start(engine);
    });
    afterAll(async () => world?.stop());

    /** What every provider must end with: paid, +27, one purchase and one bonus entry, books balanced. */
    async function expectCredited(user: User, purchase: Purchase, balanceBefore: number) {
      const polled = await world.payment(user, purchase.paymentId);
      expect(polled.status).toBe(200);
      expect(polled.body).toMatchObject({
        payment_id: purchase.paymentId,
        status: 'paid',
        credits: 25,
        bonus: 2,
        paid_at: expect.any(String),
      });
      expect(await world.balance(user)).toBe(balanceBefore + PURCHASE_MICRO + BONUS_MICRO);
      const balance = await world.service.call('GET', '/api/credits/balance', { token: user.token });
      expect(balance.body).toMatchObject({ balance: 27, total_purchased: 27 });
      expect(await world.entriesOf(purchase.paymentId)).toEqual([
        { kind: 'purchase', amount: PURCHASE_MICRO },
        { kind: 'bonus', amount: BONUS_MICRO },
      ]);
      const txs = await world.service.call('GET', '/api/credits/transactions', { token: user.token });
      expect(txs.body.transactions.map((t: any) => [t.kind, t.amount, t.payment_id]).sort()).toEqual([
        ['bonus', 2, purchase.paymentId],
        ['purchase', 25, purchase.paymentId],
      ]);
      expect(await verifyLedger(world.db)).toEqual([]);
    }

    it('GET /api/credits/packages offers the three configured methods', async () => {
      const user = await world.signUp();
      const { status, body } = await world.service.call('GET', '/api/credits/packages', { token: user.token });
      expect(status).toBe(200);
      expect(body.methods).toEqual(['sandbox', 'paystack', 'crypto']);
      expect(body.test_mode).toBe(true);
      expect(body.packages.find((p: any) => p.id === 'usd_25')).toMatchObject({ credits: 25, bonus: 2 });
    });

    it('Paystack: initialize → hosted checkout → Pay → signed charge.success → +27, paid', async () => {
      const user = await world.signUp('card');
      const purchase = await world.purchase(user, 'paystack');
      // The checkout is the (simulated) Paystack page for exactly this transaction.
      expect(purchase.checkoutUrl.startsWith(`${world.paystack.url}/checkout/`)).toBe(true);
      expect(purchase.body.test_mode).toBe(true); // sk_test_ key
      const transaction = world.paystack.transaction(purchase.reference);
      expect(transaction).toMatchObject({
        email: user.email,
        requestedAmount: 2500,
        currency: 'USD',
        status: 'abandoned',
        metadata: { payment_id: purchase.paymentId },
      });
      expect(transaction?.callbackUrl).toMatch(new RegExp(`/payments/return/${purchase.paymentId}$`));
      // Nothing is credited by starting a purchase.
      expect(await world.balance(user)).toBe(0);
      expect((await world.payment(user, purchase.paymentId)).body.status).toBe('pending');

      const page = await fetch(purchase.checkoutUrl);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Pay USD 25.00');

      const lastEvent = await world.lastEventId();
      // The customer presses Pay: Paystack sends charge.success (awaited) and redirects back.
      const paid = await fetch(`${purchase.checkoutUrl}/pay`, { method: 'POST', redirect: 'manual' });
      await paid.arrayBuffer();
      expect(paid.status).toBe(302);
      const deliveries = world.paystack.deliveries().filter((d) => d.rawBody.includes(purchase.reference));
      expect(deliveries.map((d) => [d.type, d.status])).toEqual([['charge.success', 200]]);

      // The browser lands on the return page, which says it worked.
      const back = new URL(paid.headers.get('location')!);
      expect(back.searchParams.get('reference')).toBe(purchase.reference);
      const returned = await world.service.call('GET', back.pathname);
      expect(returned.status).toBe(200);
      expect(returned.body).toContain('Payment received');

      await expectCredited(user, purchase, 0);
      expect(await world.eventsSince(lastEvent)).toEqual([
        {
          provider: 'paystack',
          event_type: 'charge.success',
          provider_reference: purchase.reference,
          payment_id: purchase.paymentId,
          signature_valid: true,
          outcome: 'credited',
        },
      ]);
      // The app's verify on return finds it already paid and changes nothing.
      const verified = await world.verify(user, purchase.paymentId);
      expect(verified.status).toBe(200);
      expect(verified.body.status).toBe('paid');
      await expectCredited(user, purchase, 0);
    });

    it('crypto (BTCPay): invoice → checkout link → Processing (ignored) → InvoiceSettled → +27, paid', async () => {
      const user = await world.signUp('crypto');
      const purchase = await world.purchase(user, 'crypto');
      const invoiceId = purchase.providerPaymentId!;
      expect(invoiceId).toBeTruthy();
      expect(purchase.checkoutUrl).toBe(`${world.btcpay.url}/i/${invoiceId}`);
      const invoice = world.btcpay.invoice(invoiceId);
      expect(invoice).toMatchObject({
        storeId: 'StorePaymentsSuite1',
        amount: '25.00',
        currency: 'USD',
        status: 'New',
        metadata: { orderId: purchase.reference, paymentId: purchase.paymentId },
      });
      expect(String(invoice?.checkout.redirectURL)).toMatch(new RegExp(`/payments/return/${purchase.paymentId}$`));

      const page = await fetch(purchase.checkoutUrl);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Pay 25.00 USD');

      const lastEvent = await world.lastEventId();
      // Paid, waiting for confirmations: acknowledged, nothing credited yet.
      const processing = await world.btcpay.process(invoiceId);
      expect(processing?.status).toBe(200);
      expect((await world.payment(user, purchase.paymentId)).body.status).toBe('pending');
      expect(await world.balance(user)).toBe(0);

      const settled = await world.btcpay.settle(invoiceId);
      expect(settled?.status).toBe(200);
      await expectCredited(user, purchase, 0);
      expect(await world.eventsSince(lastEvent)).toEqual([
        expect.objectContaining({ event_type: 'InvoiceProcessing', signature_valid: true, outcome: 'ignored' }),
        {
          provider: 'crypto',
          event_type: 'InvoiceSettled',
          provider_reference: purchase.reference,
          payment_id: purchase.paymentId,
          signature_valid: true,
          outcome: 'credited',
        },
      ]);

      // BTCPay redirects the browser to the return page.
      const returned = await world.service.call('GET', `/payments/return/${purchase.paymentId}`);
      expect(returned.body).toContain('Payment received');
      await expectCredited(user, purchase, 0);
    });

    it('sandbox: the local TEST MODE checkout page → Pay → +27, paid', async () => {
      const user = await world.signUp('sandbox');
      const purchase = await world.purchase(user, 'sandbox');
      expect(purchase.body.test_mode).toBe(true);
      const checkout = new URL(purchase.checkoutUrl);
      expect(checkout.pathname).toBe(`/sandbox/checkout/${purchase.paymentId}`);

      const page = await world.service.call('GET', checkout.pathname);
      expect(page.status).toBe(200);
      expect(page.body).toContain('TEST MODE');
      expect(page.body).toContain(`action="/sandbox/checkout/${purchase.paymentId}/pay"`);
      expect(page.body).toContain(`action="/sandbox/checkout/${purchase.paymentId}/cancel"`);
      expect(await world.balance(user)).toBe(0);

      const lastEvent = await world.lastEventId();
      // The Pay button: an HTML form post.
      const paid = await world.service.call('POST', `${checkout.pathname}/pay`, {
        raw: '',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(paid.status).toBe(200);
      expect(paid.body).toContain('Payment received');
      expect(paid.body).toContain('TEST MODE');
      await expectCredited(user, purchase, 0);
      expect(await world.eventsSince(lastEvent)).toEqual([]); // no provider, no webhook

      // Paying again, or verifying, changes nothing.
      expect((await world.service.call('POST', `${checkout.pathname}/pay`)).status).toBe(200);
      expect((await world.verify(user, purchase.paymentId)).body.status).toBe('paid');
      await expectCredited(user, purchase, 0);
    });

    it('sandbox: Cancel fails the payment and credits nothing; Pay afterwards does not credit it', async () => {
      const user = await world.signUp('cancel');
      const purchase = await world.purchase(user, 'sandbox');
      const path = new URL(purchase.checkoutUrl).pathname;
      const cancelled = await world.service.call('POST', `${path}/cancel`);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toContain('did not go through');
      await world.expectNoChange(async () => {
        const paid = await world.service.call('POST', `${path}/pay`);
        expect(paid.body).not.toContain('Payment received');
      });
      expect((await world.payment(user, purchase.paymentId)).body.status).toBe('failed');
      expect(await world.balance(user)).toBe(0);
      expect(await world.entriesOf(purchase.paymentId)).toEqual([]);
    });
  });
}
