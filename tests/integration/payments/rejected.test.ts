import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../../server/ledger/verify-ledger.ts';
import { ENGINES } from '../../support/engines.ts';
import { BONUS_MICRO, chargeSuccess, invoiceSettled, PaymentsWorld, PURCHASE_MICRO } from './payments-world.ts';

for (const engine of ENGINES) {
  describe(`payments: refused confirmations change nothing [${engine}]`, () => {
    let world: PaymentsWorld;
    beforeAll(async () => {
      world = await PaymentsWorld.start(engine);
    });
    afterAll(async () => world?.stop());

    describe('confirmations that do not match the payment', () => {
      it('Paystack: a charge.success claiming the wrong amount is refused; verify then finds the real charge', async () => {
        const user = await world.signUp();
        const purchase = await world.purchase(user, 'paystack');
        const events = await world.expectNoChange(async () => {
          const claimed = await world.paystack.pay(purchase.reference, { amount: 250 });
          expect(claimed?.status).toBe(409);
        });
        expect(events).toEqual([expect.objectContaining({ signature_valid: true, payment_id: purchase.paymentId })]);
        expect(events[0]!.outcome).toMatch(/^rejected: /);
        expect((await world.payment(user, purchase.paymentId)).body.status).toBe('pending');
        // Paystack's verify says 2500 USD was charged: that is credited, once.
        expect((await world.verify(user, purchase.paymentId)).body.status).toBe('paid');
        expect(await world.balance(user)).toBe(PURCHASE_MICRO + BONUS_MICRO);
      });

      it('Paystack: a charge of the wrong amount or currency is never credited, by webhook or verify', async () => {
        for (const charged of [{ amount: 2400 }, { amount: 250_000 }, { currency: 'NGN' }]) {
          const user = await world.signUp();
          const purchase = await world.purchase(user, 'paystack');
          const events = await world.expectNoChange(async () => {
            const delivery = await world.paystack.pay(purchase.reference, { charged });
            expect(delivery?.status, JSON.stringify(charged)).toBe(409);
            const verified = await world.verify(user, purchase.paymentId);
            expect(verified.status, JSON.stringify(charged)).toBe(409);
            expect(verified.body.error.code).toBe('payment_mismatch');
          });
          expect(events).toHaveLength(1);
          expect(events[0]).toMatchObject({ signature_valid: true, payment_id: purchase.paymentId });
          expect(events[0]!.outcome).toMatch(/^rejected: /);
          expect((await world.payment(user, purchase.paymentId)).body.status).toBe('pending');
        }
      });

      it('Paystack: a charge.success claiming another currency is refused', async () => {
        const user = await world.signUp();
        const purchase = await world.purchase(user, 'paystack');
        await world.expectNoChange(async () => {
          const claimed = await world.paystack.pay(purchase.reference, { currency: 'NGN' });
          expect(claimed?.status).toBe(409);
        });
        expect((await world.payment(user, purchase.paymentId)).body.status).toBe('pending');
      });

      it('BTCPay: an invoice settled for another amount or currency is never credited', async () => {
        for (const patch of [{ amount: '24.99' }, { amount: '2500' }, { currency: 'EUR' }, { currency: 'BTC' }]) {
          const user = await world.signUp();
          const purchase = await world.purchase(user, 'crypto');
          const events = await world.expectNoChange(async () => {
            const delivery = await world.btcpay.settle(purchase.providerPaymentId!, patch);
            expect(delivery?.status, JSON.stringify(patch)).toBe(409);
            const verified = await world.verify(user, purchase.paymentId);
            expect(verified.status, JSON.stringify(patch)).toBe(409);
          });
          expect(events).toHaveLength(1);
          expect(events[0]).toMatchObject({ signature_valid: true, payment_id: purchase.paymentId });
          expect(events[0]!.outcome).toMatch(/^rejected: /);
        }
      });

      it('BTCPay: an invoice whose orderId was changed to another payment is never credited to either', async () => {
        const a = await world.signUp();
        const b = await world.signUp();
        const paid = await world.purchase(a, 'crypto');
        const other = await world.purchase(b, 'crypto');
        await world.expectNoChange(async () => {
          const delivery = await world.btcpay.settle(paid.providerPaymentId!, {
            metadata: { orderId: other.reference, paymentId: other.paymentId },
          });
          expect(delivery?.status).toBeLessThan(500);
          expect((await world.verify(b, other.paymentId)).body.status).toBe('pending');
          expect((await world.verify(a, paid.paymentId)).status).toBe(409);
        });
        expect(await world.balance(a)).toBe(0);
        expect(await world.balance(b)).toBe(0);
      });

      it('BTCPay: a genuine InvoiceSettled is checked against the invoice, which must really be settled', async () => {
        const user = await world.signUp();
        const purchase = await world.purchase(user, 'crypto');
        // Signed with the real secret (e.g. a test event from the BTCPay UI), but the invoice is still New.
        const events = await world.expectNoChange(async () => {
          const [delivery] = await world.btcpay.deliver(
            invoiceSettled(purchase.providerPaymentId!, purchase.reference),
          );
          expect(delivery!.status).toBeLessThan(500);
        });
        expect(events).toEqual([
          expect.objectContaining({
            signature_valid: true,
            event_type: 'InvoiceSettled',
            payment_id: purchase.paymentId,
          }),
        ]);
        expect((await world.payment(user, purchase.paymentId)).body.status).toBe('pending');
      });

      it('an unknown reference is 404 and stored; so is a reference of another provider', async () => {
        const user = await world.signUp();
        const sandbox = await world.purchase(user, 'sandbox');
        const crypto = await world.purchase(user, 'crypto');
        const unknown = `atl-${randomUUID()}`;
        const events = await world.expectNoChange(async () => {
          for (const reference of [unknown, sandbox.reference, crypto.reference]) {
            const [delivery] = await world.paystack.deliver(chargeSuccess(reference));
            expect(delivery!.status, reference).toBe(404);
          }
          const [btc] = await world.btcpay.deliver(invoiceSettled('UnknownInvoice123456789', unknown));
          expect(btc!.status).toBe(404);
        });
        expect(events).toEqual([
          ...[unknown, sandbox.reference, crypto.reference].map((reference) => ({
            provider: 'paystack',
            event_type: 'charge.success',
            provider_reference: reference,
            payment_id: null,
            signature_valid: true,
            outcome: 'rejected: unknown reference',
          })),
          {
            provider: 'crypto',
            event_type: 'InvoiceSettled',
            provider_reference: unknown,
            payment_id: null,
            signature_valid: true,
            outcome: 'rejected: unknown reference',
          },
        ]);
      });

      it("verify or poll of another user's payment is 404, like an unknown id, and credits no one", async () => {
        const owner = await world.signUp('owner');
        const stranger = await world.signUp('stranger');
        const purchase = await world.purchase(owner, 'paystack');
        // Paid at Paystack, its webhook not arrived yet: a verify would credit it.
        await world.paystack.pay(purchase.reference, { webhook: false });
        const unknown = await world.verify(stranger, randomUUID());
        expect(unknown.status).toBe(404);
        expect(unknown.body.error.code).toBe('unknown_payment');
        await world.expectNoChange(async () => {
          expect(await world.verify(stranger, purchase.paymentId)).toEqual(unknown);
          const polled = await world.payment(stranger, purchase.paymentId);
          expect(polled.status).toBe(404);
          expect(polled.body.error.code).toBe('unknown_payment');
        });
        expect((await world.payment(owner, purchase.paymentId)).body.status).toBe('pending');
        expect((await world.verify(owner, purchase.paymentId)).body.status).toBe('paid');
        expect(await world.balance(owner)).toBe(PURCHASE_MICRO + BONUS_MICRO);
        expect(await world.balance(stranger)).toBe(0);
      });
    });

    describe('purchases that must not start', () => {
      it('an unknown package is 400 unknown_package before any provider is called', async () => {
        const user = await world.signUp();
        const transactions = world.paystack.transactions().length;
        const invoices = world.btcpay.invoices().length;
        await world.expectNoChange(async () => {
          for (const method of ['paystack', 'crypto', 'sandbox']) {
            for (const choice of [{ amount: 7 }, { amount: 25.5 }, { amount: 0.01 }, { package_id: 'usd_7' }]) {
              const answer = await world.service.call('POST', '/api/credits/purchase', {
                token: user.token,
                body: { ...choice, method },
              });
              expect(answer.status, `${method} ${JSON.stringify(choice)}`).toBe(400);
              expect(answer.body.error.code).toBe('unknown_package');
            }
          }
        });
        expect(world.paystack.transactions()).toHaveLength(transactions);
        expect(world.btcpay.invoices()).toHaveLength(invoices);
      });
    });

    describe('the sandbox checkout', () => {
      it("cannot pay or cancel a Paystack or BTCPay payment (its id is not a sandbox payment's)", async () => {
        const user = await world.signUp();
        const card = await world.purchase(user, 'paystack');
        const crypto = await world.purchase(user, 'crypto');
        await world.expectNoChange(async () => {
          for (const purchase of [card, crypto]) {
            for (const [method, suffix] of [
              ['GET', ''],
              ['POST', '/pay'],
              ['POST', '/cancel'],
            ] as const) {
              const answer = await world.service.call(method, `/sandbox/checkout/${purchase.paymentId}${suffix}`);
              expect(answer.status, `${method} ${purchase.body.method} ${suffix}`).toBe(404);
            }
          }
        });
        expect(await world.balance(user)).toBe(0);
      });
    });

    describe('failed and expired payments', () => {
      it('Paystack: a declined card → verify shows failed; a later forged or genuine success is refused', async () => {
        const user = await world.signUp();
        const purchase = await world.purchase(user, 'paystack');
        const deliveries = world.paystack.deliveries().length;
        const declined = await fetch(`${purchase.checkoutUrl}/decline`, { method: 'POST' });
        expect(declined.status).toBe(200);
        expect(await declined.text()).toContain('declined');
        expect(world.paystack.transaction(purchase.reference)?.status).toBe('failed');
        expect(world.paystack.deliveries()).toHaveLength(deliveries); // Paystack sends no webhook for it

        const verified = await world.verify(user, purchase.paymentId);
        expect(verified.status).toBe(200);
        expect(verified.body.status).toBe('failed');
        expect(await world.paymentRow(purchase.paymentId)).toMatchObject({ status: 'failed' });

        const events = await world.expectNoChange(async () => {
          const body = JSON.stringify(chargeSuccess(purchase.reference));
          const forged = await world.postWebhook('paystack', body, { 'x-paystack-signature': 'ef'.repeat(64) });
          expect(forged.status).toBe(401);
          const [genuine] = await world.paystack.deliver(chargeSuccess(purchase.reference));
          expect(genuine!.status).toBe(409);
          expect((await world.verify(user, purchase.paymentId)).body.status).toBe('failed');
          expect((await world.payment(user, purchase.paymentId)).body.status).toBe('failed');
        });
        expect(events.map((e) => [e.signature_valid, e.payment_id, e.outcome.startsWith('rejected: ')])).toEqual([
          [false, null, true],
          [true, purchase.paymentId, true],
        ]);
        expect(await world.balance(user)).toBe(0);
        expect(await world.entriesOf(purchase.paymentId)).toEqual([]);
      });

      it('BTCPay: InvoiceExpired fails the payment; a late InvoiceSettled is not credited', async () => {
        const user = await world.signUp();
        const purchase = await world.purchase(user, 'crypto');
        const lastEvent = await world.lastEventId();
        const expired = await world.btcpay.expire(purchase.providerPaymentId!);
        expect(expired?.status).toBe(200);
        expect((await world.payment(user, purchase.paymentId)).body.status).toBe('failed');
        expect(await world.eventsSince(lastEvent)).toEqual([
          expect.objectContaining({ event_type: 'InvoiceExpired', signature_valid: true, outcome: 'updated' }),
        ]);

        const events = await world.expectNoChange(async () => {
          expect((await world.btcpay.redeliver(expired!))[0]!.status).toBe(200);
          // Paid late (BTCPay: Settled, PaidLate): refused, for the operator to reconcile.
          const late = await world.btcpay.settle(purchase.providerPaymentId!);
          expect(late?.status).toBe(409);
          expect((await world.verify(user, purchase.paymentId)).body.status).toBe('failed');
        });
        expect(events.map((e) => [e.event_type, e.signature_valid, e.outcome.replace(/:.*/, '')])).toEqual([
          ['InvoiceExpired', true, 'duplicate'],
          ['InvoiceSettled', true, 'rejected'],
        ]);
        expect(await world.balance(user)).toBe(0);
      });

      it('BTCPay: InvoiceInvalid fails the payment; a later InvoiceSettled is not credited', async () => {
        const user = await world.signUp();
        const purchase = await world.purchase(user, 'crypto');
        expect((await world.btcpay.process(purchase.providerPaymentId!))?.status).toBe(200);
        const invalid = await world.btcpay.invalidate(purchase.providerPaymentId!);
        expect(invalid?.status).toBe(200);
        expect((await world.payment(user, purchase.paymentId)).body.status).toBe('failed');
        expect(await world.eventsOf(purchase.paymentId)).toEqual([
          expect.objectContaining({ event_type: 'InvoiceInvalid', signature_valid: true, outcome: 'updated' }),
        ]);

        const events = await world.expectNoChange(async () => {
          const [settled] = await world.btcpay.deliver(invoiceSettled(purchase.providerPaymentId!, purchase.reference));
          expect(settled!.status).toBe(409);
          expect((await world.verify(user, purchase.paymentId)).body.status).toBe('failed');
        });
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({ signature_valid: true, payment_id: purchase.paymentId });
        expect(events[0]!.outcome).toMatch(/^rejected: /);
        expect(await world.balance(user)).toBe(0);
      });
    });

    describe('unknown event types', () => {
      it('Paystack: acknowledged with 2xx, stored as ignored, nothing changes; unsigned ones are still 401', async () => {
        const user = await world.signUp();
        const purchase = await world.purchase(user, 'paystack');
        const unknownEvents = [
          { event: 'transfer.success', data: { reference: purchase.reference, amount: 2500 } },
          { event: 'subscription.create', data: { subscription_code: 'SUB_x' } },
          { event: 'charge.dispute.create', data: { reference: purchase.reference } },
          { event: 'paymentrequest.success', data: {} },
          { event: 'charge.success.v2', data: { reference: purchase.reference, amount: 2500, currency: 'USD' } },
        ];
        const events = await world.expectNoChange(async () => {
          for (const event of unknownEvents) {
            const raw = JSON.stringify(event);
            const answer = await world.postWebhook('paystack', raw, {
              'x-paystack-signature': world.paystack.sign(raw),
            });
            expect(answer.status, event.event).toBeGreaterThanOrEqual(200);
            expect(answer.status, event.event).toBeLessThan(300);
            expect(answer.body).toMatchObject({ received: true, outcome: 'ignored' });
          }
          const raw = JSON.stringify(unknownEvents[0]);
          expect((await world.postWebhook('paystack', raw, { 'x-paystack-signature': '00' })).status).toBe(401);
        });
        expect(events.map((e) => [e.event_type, e.signature_valid, e.outcome])).toEqual([
          ...unknownEvents.map((e) => [e.event, true, 'ignored']),
          [null, false, expect.stringMatching(/^rejected: /)],
        ]);
        expect((await world.payment(user, purchase.paymentId)).body.status).toBe('pending');
      });

      it('BTCPay: acknowledged with 2xx, stored as ignored, nothing changes', async () => {
        const user = await world.signUp();
        const purchase = await world.purchase(user, 'crypto');
        const invoiceId = purchase.providerPaymentId!;
        const types = ['InvoiceCreated', 'InvoiceReceivedPayment', 'InvoicePaymentSettled', 'PayoutCreated', 'Nope'];
        const events = await world.expectNoChange(async () => {
          expect((await world.btcpay.process(invoiceId))?.status).toBe(200);
          for (const type of types) {
            const [delivery] = await world.btcpay.deliver(invoiceSettled(invoiceId, purchase.reference, { type }));
            expect(delivery!.status, type).toBe(200);
          }
        });
        expect(events.map((e) => [e.event_type, e.signature_valid, e.outcome])).toEqual(
          ['InvoiceProcessing', ...types].map((type) => [type, true, 'ignored']),
        );
        expect((await world.payment(user, purchase.paymentId)).body.status).toBe('pending');
        expect(await verifyLedger(world.db)).toEqual([]);
      });
    });
  });
}
