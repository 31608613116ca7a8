import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../../server/ledger/verify-ledger.ts';
import { ENGINES } from '../../support/engines.ts';
import { HOUR } from '../../support/fake-clock.ts';
import { BONUS_MICRO, PAYSTACK_SECRET, PaymentsWorld, PURCHASE_MICRO, type User } from './payments-world.ts';

const PAID = PURCHASE_MICRO + BONUS_MICRO; // 27 credits

for (const engine of ENGINES) {
  describe(`payments: refunds claw back purchase and bonus, never below zero [${engine}]`, () => {
    let world: PaymentsWorld;
    let admin: User;
    beforeAll(async () => {
      // Long-lived sessions without heartbeats every minute, so credits can be spent by metering.
      world = await PaymentsWorld.start(engine, {
        HEARTBEAT_TIMEOUT_MS: String(48 * HOUR),
        HEARTBEAT_GAP_MS: String(48 * HOUR),
      });
      admin = await world.admin();
    });
    afterAll(async () => world?.stop());

    /** A user with a paid $25 Paystack purchase (27 credits). */
    async function paidPaystack() {
      const user = await world.signUp();
      const purchase = await world.purchase(user, 'paystack');
      const delivery = await world.paystack.pay(purchase.reference);
      expect(delivery?.status).toBe(200);
      expect(await world.balance(user)).toBe(PAID);
      return { user, purchase, delivery: delivery! };
    }

    async function adjust(user: User, amount: string, reason: string) {
      const answer = await world.service.call('POST', '/api/admin/adjustments', {
        token: admin.token,
        body: { user_id: user.userId, amount, reason },
      });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    }

    const refund = (paymentId: string, token = admin.token, reason = 'customer asked for their money back') =>
      world.service.call('POST', `/api/admin/payments/${paymentId}/refund`, { token, body: { reason } });

    const refundsOf = (reference: string) =>
      world.paystack.refunds().filter((r) => r.transactionReference === reference);

    it('partly spent (admin adjustment): balance → max(0, balance − 27), shortfall recorded, Paystack refunded', async () => {
      const { user, purchase } = await paidPaystack();
      await adjust(user, '-20', 'spent elsewhere (test)');
      expect(await world.balance(user)).toBe(7_000_000);

      // Only an admin may refund.
      await world.expectNoChange(async () => {
        const refused = await refund(purchase.paymentId, user.token);
        expect(refused.status).toBe(403);
        expect(refused.body.error.code).toBe('forbidden');
      });
      expect(refundsOf(purchase.reference)).toEqual([]);

      const refunded = await refund(purchase.paymentId);
      expect(refunded.status, JSON.stringify(refunded.body)).toBe(200);
      expect(refunded.body).toEqual({
        payment_id: purchase.paymentId,
        status: 'refunded',
        clawed_back: 7,
        clawed_back_micro: 7_000_000,
        shortfall: 20,
        shortfall_micro: 20_000_000,
      });
      expect(await world.balance(user)).toBe(0);
      expect(await world.paymentRow(purchase.paymentId)).toMatchObject({
        status: 'refunded',
        refund_shortfall: '20000000',
      });
      expect((await world.payment(user, purchase.paymentId)).body.status).toBe('refunded');
      expect(await world.entriesOf(purchase.paymentId)).toEqual([
        { kind: 'purchase', amount: PURCHASE_MICRO },
        { kind: 'bonus', amount: BONUS_MICRO },
        { kind: 'refund', amount: -7_000_000 },
      ]);
      const { rows } = await world.db.query<{ metadata: any }>(
        `SELECT metadata FROM ledger_entries WHERE payment_id = $1 AND kind = 'refund'`,
        [purchase.paymentId],
      );
      expect(rows[0]!.metadata.reason).toContain('customer asked for their money back');
      expect(rows[0]!.metadata.reason).toContain(admin.email);
      // Paystack got the refund call, for the whole transaction.
      expect(refundsOf(purchase.reference)).toEqual([
        expect.objectContaining({ amount: 2500, currency: 'USD', status: 'pending' }),
      ]);
      expect(await verifyLedger(world.db)).toEqual([]);

      // Paystack's refund.processed later, and a second refund request, change nothing more.
      const events = await world.expectNoChange(async () => {
        const processed = await world.paystack.processRefund(refundsOf(purchase.reference)[0]!.id);
        expect(processed.status).toBe(200);
        const again = await refund(purchase.paymentId);
        expect(again.status).toBe(409);
        expect(again.body.error.code).toBe('payment_not_refundable');
      });
      expect(events).toEqual([
        {
          provider: 'paystack',
          event_type: 'refund.processed',
          provider_reference: purchase.reference,
          payment_id: purchase.paymentId,
          signature_valid: true,
          outcome: 'duplicate',
        },
      ]);
      expect(refundsOf(purchase.reference)).toHaveLength(1);
    });

    it('partly spent by a metered proxy session: clawed back what is left, the rest is the shortfall', async () => {
      const { user, purchase } = await paidPaystack();
      const connect = await world.service.call('POST', '/api/proxy/connect', {
        token: user.token,
        body: { country: 'US', city: 'new york' },
      });
      expect(connect.status, JSON.stringify(connect.body)).toBe(201);
      expect(connect.body.session.rate_per_hour).toBe(0.75);
      const sessionId = connect.body.session.id;
      world.service.clock.advance(24 * HOUR);
      const beat = await world.service.call('POST', '/api/proxy/heartbeat', {
        token: user.token,
        body: { session_id: sessionId },
      });
      expect(beat.status).toBe(200);
      await world.service.worker.tick();
      const ended = await world.service.call('POST', '/api/proxy/disconnect', {
        token: user.token,
        body: { session_id: sessionId },
      });
      expect(ended.status).toBe(200);
      expect(await world.balance(user)).toBe(9_000_000); // 27 − 24 h × 0.75

      const refunded = await refund(purchase.paymentId);
      expect(refunded.status, JSON.stringify(refunded.body)).toBe(200);
      expect(refunded.body).toMatchObject({
        status: 'refunded',
        clawed_back_micro: 9_000_000,
        shortfall_micro: 18_000_000,
      });
      const balance = await world.service.call('GET', '/api/credits/balance', { token: user.token });
      expect(balance.body).toMatchObject({ balance: 0, total_purchased: 27, total_spent: 18 });
      expect(await world.paymentRow(purchase.paymentId)).toMatchObject({ refund_shortfall: '18000000' });
      expect(refundsOf(purchase.reference)).toHaveLength(1);
      expect(await verifyLedger(world.db)).toEqual([]);
    });

    it('a balance that still holds it all gives everything back, no shortfall; sandbox and crypto refund too', async () => {
      const user = await world.signUp();
      const sandbox = await world.purchase(user, 'sandbox', 10);
      await world.pay(sandbox, 'sandbox');
      const crypto = await world.purchase(user, 'crypto');
      await world.pay(crypto, 'crypto');
      const card = await world.purchase(user, 'paystack');
      await world.pay(card, 'paystack');
      expect(await world.balance(user)).toBe(10_000_000 + 2 * PAID);
      await adjust(user, '-5', 'spent (test)');

      const first = await refund(card.paymentId);
      expect(first.body).toMatchObject({ status: 'refunded', clawed_back_micro: PAID, shortfall_micro: 0 });
      expect(await world.balance(user)).toBe(10_000_000 + PAID - 5_000_000);
      // BTCPay refunds through Greenfield's invoice refund (a pull payment); the credits are clawed back here.
      const second = await refund(crypto.paymentId);
      expect(second.body).toMatchObject({ status: 'refunded', clawed_back_micro: PAID, shortfall_micro: 0 });
      expect(world.btcpay.refunds().map((r) => r.invoiceId)).toContain(crypto.providerPaymentId);
      const third = await refund(sandbox.paymentId);
      expect(third.body).toMatchObject({ clawed_back_micro: 5_000_000, shortfall_micro: 5_000_000 });
      expect(await world.balance(user)).toBe(0);
      expect(await verifyLedger(world.db)).toEqual([]);
    });

    it('pending, failed and unknown payments cannot be refunded; nothing reaches Paystack', async () => {
      const user = await world.signUp();
      const pending = await world.purchase(user, 'paystack');
      const failed = await world.purchase(user, 'sandbox');
      await world.service.call('POST', `${new URL(failed.checkoutUrl).pathname}/cancel`);
      await world.expectNoChange(async () => {
        for (const id of [pending.paymentId, failed.paymentId]) {
          const answer = await refund(id);
          expect(answer.status).toBe(409);
          expect(answer.body.error.code).toBe('payment_not_refundable');
        }
        const unknown = await refund('00000000-0000-4000-8000-000000000000');
        expect(unknown.status).toBe(404);
      });
      expect(refundsOf(pending.reference)).toEqual([]);
    });

    it('a refund made at Paystack (its dashboard) is applied from refund.processed, once, with the shortfall', async () => {
      const { user, purchase } = await paidPaystack();
      await adjust(user, '-20', 'spent (test)');
      // The merchant refunds in the Paystack dashboard: our service learns of it by webhook only.
      const dashboard = await fetch(`${world.paystack.url}/refund`, {
        method: 'POST',
        headers: { authorization: `Bearer ${PAYSTACK_SECRET}`, 'content-type': 'application/json' },
        body: JSON.stringify({ transaction: purchase.reference }),
      });
      expect(dashboard.status).toBe(200);
      const lastEvent = await world.lastEventId();
      const processed = await world.paystack.processRefund(refundsOf(purchase.reference)[0]!.id);
      expect(processed.status).toBe(200);
      expect(await world.eventsSince(lastEvent)).toEqual([
        expect.objectContaining({ event_type: 'refund.processed', signature_valid: true, outcome: 'updated' }),
      ]);
      expect(await world.balance(user)).toBe(0);
      expect(await world.paymentRow(purchase.paymentId)).toMatchObject({
        status: 'refunded',
        refund_shortfall: '20000000',
      });
      await world.expectNoChange(async () => {
        expect((await world.paystack.deliver(processed, { times: 3 })).map((d) => d.status)).toEqual([200, 200, 200]);
      });
      expect(await verifyLedger(world.db)).toEqual([]);
    });

    it('a replayed charge.success (or InvoiceSettled) for a refunded payment is acknowledged and changes nothing', async () => {
      const { user, purchase, delivery } = await paidPaystack();
      const crypto = await world.purchase(user, 'crypto');
      const settled = await world.btcpay.settle(crypto.providerPaymentId!);
      expect(settled?.status).toBe(200);
      expect((await refund(purchase.paymentId)).status).toBe(200);
      expect((await refund(crypto.paymentId)).status).toBe(200);
      expect(await world.balance(user)).toBe(0);

      const events = await world.expectNoChange(async () => {
        const replayed = await world.paystack.deliver(delivery, { times: 3 });
        expect(replayed.map((d) => d.status)).toEqual([200, 200, 200]);
        const redelivered = await world.btcpay.redeliver(settled!, { times: 2 });
        expect(redelivered.map((d) => d.status)).toEqual([200, 200]);
        expect((await world.verify(user, purchase.paymentId)).body.status).toBe('refunded');
        expect((await world.verify(user, crypto.paymentId)).body.status).toBe('refunded');
      });
      expect(events.map((e) => [e.event_type, e.signature_valid, e.outcome])).toEqual([
        ['charge.success', true, 'duplicate'],
        ['charge.success', true, 'duplicate'],
        ['charge.success', true, 'duplicate'],
        ['InvoiceSettled', true, 'duplicate'],
        ['InvoiceSettled', true, 'duplicate'],
      ]);
    });

    it('a refund.processed that overtakes a delayed charge.success still leaves nothing credited', async () => {
      const user = await world.signUp();
      const purchase = await world.purchase(user, 'paystack');
      // The charge succeeds but its webhook does not get through (our service was briefly unreachable)…
      const lost = await world.withWebhooksLost(() => world.paystack.pay(purchase.reference));
      expect(lost?.status).toBeNull();
      // …and before Paystack retries it, the merchant refunds the charge in the dashboard.
      const dashboard = await fetch(`${world.paystack.url}/refund`, {
        method: 'POST',
        headers: { authorization: `Bearer ${PAYSTACK_SECRET}`, 'content-type': 'application/json' },
        body: JSON.stringify({ transaction: purchase.reference }),
      });
      expect(dashboard.status).toBe(200);
      const processed = await world.paystack.processRefund(refundsOf(purchase.reference)[0]!.id);
      expect(processed.status).toBe(200);

      // Paystack's retry of charge.success arrives last. The money went back to the card:
      // the user must not keep 27 credits for it (credited and clawed back, or never credited).
      const retried = await world.paystack.deliver(lost!);
      expect(retried[0]!.status).toBeLessThan(500);
      const entries = await world.entriesOf(purchase.paymentId);
      const net = entries.reduce((sum, e) => sum + e.amount, 0);
      const audit = (await world.eventsOf(purchase.paymentId)).map((e) => `${e.event_type}: ${e.outcome}`);
      expect(
        { balance: await world.balance(user), net, status: (await world.paymentRow(purchase.paymentId))?.status },
        `refunded at Paystack before its charge.success arrived; entries ${JSON.stringify(entries)}; ` +
          `webhooks ${JSON.stringify(audit)}`,
      ).toEqual({ balance: 0, net: 0, status: expect.not.stringMatching(/^paid$/) });
      expect(await verifyLedger(world.db)).toEqual([]);
    });
  });
}
