import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paymentOutcome, paymentsResponseSchema } from '../../../shared/api/credits.ts';
import { BillingClient } from '../../../electron/core/billing/billing-client.ts';
import { expirePendingPayments } from '../../../server/payments/pending-payments.ts';
import { ENGINES } from '../../support/engines.ts';
import { PaymentsWorld, type User } from './payments-world.ts';

const OPERATOR = 'Harbour & Lights <Proxy> Ltd';

for (const engine of ENGINES) {
  describe(`orders and receipts: every payment listed, a paid one printable [${engine}]`, () => {
    let world: PaymentsWorld;
    let admin: User;
    beforeAll(async () => {
      world = await PaymentsWorld.start(engine, { OPERATOR_NAME: OPERATOR, PAYMENT_EXPIRY_MINUTES: '30' });
      admin = await world.admin();
    });
    afterAll(async () => world?.stop());

    const receipt = (user: User, paymentId: string) =>
      fetch(`${world.service.url}/api/payments/${paymentId}/receipt`, {
        headers: { authorization: `Bearer ${user.token}` },
      });

    it('lists pending, paid, cancelled, expired and refunded orders with package, method, amounts and dates', async () => {
      const user = await world.signUp('orders');
      const paid = await world.purchase(user, 'paystack', 25);
      await world.pay(paid, 'paystack');
      const refunded = await world.purchase(user, 'crypto', 10);
      await world.pay(refunded, 'crypto');
      const refund = await world.service.call('POST', `/api/admin/payments/${refunded.paymentId}/refund`, {
        token: admin.token,
        body: { reason: 'asked' },
      });
      expect(refund.status, JSON.stringify(refund.body)).toBe(200);
      const cancelled = await world.purchase(user, 'sandbox', 5);
      await world.service.call('POST', `${new URL(cancelled.checkoutUrl).pathname}/cancel`);
      const expired = await world.purchase(user, 'sandbox', 50);
      world.service.clock.advance(31 * 60_000);
      const pending = await world.purchase(user, 'sandbox', 100);
      // What the expiry worker does every minute.
      expect(await expirePendingPayments(world.db, world.service.clock.now())).toBeGreaterThanOrEqual(1);

      const { status, body } = await world.service.call('GET', '/api/payments', { token: user.token });
      expect(status).toBe(200);
      const { payments } = paymentsResponseSchema.parse(body);
      const byId = new Map(payments.map((p) => [p.payment_id, p]));
      const seen = (id: string) => {
        const p = byId.get(id)!;
        return [p.package_id, p.method, p.amount_cents, p.currency, paymentOutcome(p)];
      };
      expect(payments).toHaveLength(5);
      expect(seen(paid.paymentId)).toEqual(['usd_25', 'paystack', 2_500, 'USD', 'paid']);
      expect(seen(refunded.paymentId)).toEqual(['usd_10', 'crypto', 1_000, 'USD', 'refunded']);
      expect(seen(cancelled.paymentId)).toEqual(['usd_5', 'sandbox', 500, 'USD', 'cancelled']);
      expect(seen(expired.paymentId)).toEqual(['usd_50', 'sandbox', 5_000, 'USD', 'expired']);
      expect(seen(pending.paymentId)).toEqual(['usd_100', 'sandbox', 10_000, 'USD', 'pending']);
      expect(byId.get(paid.paymentId)).toMatchObject({ credits: 25, bonus: 2, paid_at: expect.any(String) });
      expect(byId.get(pending.paymentId)!.paid_at).toBeNull();
      expect(Date.parse(byId.get(pending.paymentId)!.created_at)).toBeGreaterThan(
        Date.parse(byId.get(paid.paymentId)!.created_at),
      );
    });

    it('a paid order has a printable receipt naming the operator; only its owner sees it', async () => {
      const user = await world.signUp('receipt');
      const other = await world.signUp('nosy');
      const paid = await world.purchase(user, 'paystack', 25);
      await world.pay(paid, 'paystack');

      const response = await receipt(user, paid.paymentId);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('content-security-policy') ?? '').not.toContain('script-src *');
      const html = await response.text();
      // The operator's name is escaped, not injected as markup.
      expect(html).toContain('<h1 id="operator">Harbour &amp; Lights &lt;Proxy&gt; Ltd</h1>');
      expect(html).toContain(paid.paymentId);
      expect(html).toContain(user.email);
      expect(html).toContain('USD 25.00');
      expect(html).toContain('Card (Paystack)');
      expect(html).toContain('usd_25');
      expect(html).toMatch(/Bonus credits<\/th><td class="n">2(\.00)?</);
      expect(html).toContain('TEST MODE');
      expect(html).not.toContain('<script');

      // Another user's receipt, an unknown id and a malformed one are all 404 in the error shape.
      for (const [who, id] of [
        [other, paid.paymentId],
        [user, '00000000-0000-4000-8000-000000000000'],
        [user, 'not-a-uuid'],
      ] as const) {
        const refused = await world.service.call('GET', `/api/payments/${id}/receipt`, { token: who.token });
        expect(refused.status).toBe(404);
        expect(refused.body.error.code).toBe('unknown_payment');
      }
      const anonymous = await world.service.call('GET', `/api/payments/${paid.paymentId}/receipt`);
      expect(anonymous.status).toBe(401);

      // The desktop app's billing client fetches the same page (the window saves it as a file).
      const viaClient = await new BillingClient({ baseUrl: world.service.url, token: () => user.token }).receipt(
        paid.paymentId,
      );
      expect(viaClient).toBe(html);
    });

    it('an unpaid order has no receipt; a refunded one says REFUNDED', async () => {
      const user = await world.signUp('unpaid');
      const pending = await world.purchase(user, 'sandbox', 5);
      const none = await world.service.call('GET', `/api/payments/${pending.paymentId}/receipt`, {
        token: user.token,
      });
      expect(none.status).toBe(404);
      expect(none.body.error).toMatchObject({ code: 'not_found', message: expect.stringContaining('pending') });

      const paid = await world.purchase(user, 'crypto', 10);
      await world.pay(paid, 'crypto');
      const before = await (await receipt(user, paid.paymentId)).text();
      expect(before).not.toContain('REFUNDED');
      await world.service.call('POST', `/api/admin/payments/${paid.paymentId}/refund`, {
        token: admin.token,
        body: { reason: 'asked' },
      });
      const after = await (await receipt(user, paid.paymentId)).text();
      expect(after).toContain('<p class="flag" id="refunded">REFUNDED</p>');
      expect(after).toContain('Crypto (BTCPay Server)');
    });
  });
}
