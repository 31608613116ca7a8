import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../support/engines.ts';
import {
  BONUS_MICRO,
  BTCPAY_WEBHOOK_SECRET,
  chargeSuccess,
  invoiceSettled,
  PAYSTACK_SECRET,
  PaymentsWorld,
  PURCHASE_MICRO,
  type PaymentEventRow,
} from './payments-world.ts';

const hmac = (algorithm: 'sha256' | 'sha512', key: string, body: string) =>
  createHmac(algorithm, key).update(body).digest('hex');

/** Each audit row of a webhook refused before its signature was accepted. */
function expectUnauthenticated(events: PaymentEventRow[], provider: string, count: number) {
  expect(events).toHaveLength(count);
  for (const event of events) {
    expect(event).toMatchObject({ provider, signature_valid: false, payment_id: null });
    expect(event.outcome).toMatch(/^rejected: /);
  }
}

for (const engine of ENGINES) {
  describe(`payments: webhooks with bad signatures change nothing [${engine}]`, () => {
    let world: PaymentsWorld;
    beforeAll(async () => {
      world = await PaymentsWorld.start(engine);
    });
    afterAll(async () => world?.stop());

    describe('webhook signatures', () => {
      it('Paystack: forged, missing, wrong-key, wrong-algorithm and other-body signatures are 401 and stored', async () => {
        const victim = await world.signUp('victim');
        const target = await world.purchase(victim, 'paystack');
        // An attacker's own real $5 payment gives them a genuinely signed charge.success to edit.
        const attacker = await world.signUp('attacker');
        const own = await world.purchase(attacker, 'paystack', 5);
        const genuine = await world.paystack.pay(own.reference);
        expect(genuine?.status).toBe(200);
        const edited = genuine!.rawBody
          .replace(own.reference, target.reference)
          .replace('"amount":500', '"amount":2500');
        expect(edited).not.toBe(genuine!.rawBody);

        const body = JSON.stringify(chargeSuccess(target.reference));
        const attempts: [string, string, Record<string, string>][] = [
          ['a forged signature', body, { 'x-paystack-signature': 'ab'.repeat(64) }],
          ['no signature header', body, {}],
          ['an empty signature', body, { 'x-paystack-signature': '' }],
          ['a signature made with another key', body, { 'x-paystack-signature': hmac('sha512', 'sk_test_x', body) }],
          ['HMAC-SHA256 instead of SHA512', body, { 'x-paystack-signature': hmac('sha256', PAYSTACK_SECRET, body) }],
          ['a truncated signature', body, { 'x-paystack-signature': world.paystack.sign(body).slice(0, 64) }],
          [
            'BTCPay-Sig instead of x-paystack-signature',
            body,
            { 'btcpay-sig': `sha256=${hmac('sha256', PAYSTACK_SECRET, body)}` },
          ],
          [
            'a valid signature over a different body (an edited genuine event)',
            edited,
            { 'x-paystack-signature': genuine!.headers['x-paystack-signature']! },
          ],
          // A NUL byte cannot be stored as text: the audit row must not turn the refusal into a 500.
          ['a NUL byte in the body', body.replace('{', '{\0'), { 'x-paystack-signature': 'ab'.repeat(64) }],
          [
            'a valid signature over the same JSON serialized differently',
            JSON.stringify(chargeSuccess(target.reference), null, 2),
            { 'x-paystack-signature': world.paystack.sign(body) },
          ],
        ];
        const events = await world.expectNoChange(async () => {
          for (const [label, raw, headers] of attempts) {
            const answer = await world.postWebhook('paystack', raw, headers);
            expect(answer.status, label).toBe(401);
            expect(answer.body.error.code, label).toBe('invalid_signature');
          }
        });
        expectUnauthenticated(events, 'paystack', attempts.length);
        expect((await world.payment(victim, target.paymentId)).body.status).toBe('pending');

        // None of that got in the way of the real payment.
        const real = await world.paystack.pay(target.reference);
        expect(real?.status).toBe(200);
        expect(await world.balance(victim)).toBe(PURCHASE_MICRO + BONUS_MICRO);
        expect(await world.balance(attacker)).toBe(5_000_000);
      });

      it('BTCPay: forged, missing, unprefixed, wrong-key and other-body BTCPay-Sig are 401 and stored', async () => {
        const victim = await world.signUp('victim');
        const target = await world.purchase(victim, 'crypto');
        const attacker = await world.signUp('attacker');
        const own = await world.purchase(attacker, 'crypto');
        // The victim's invoice is really settled, but its webhook was lost: only a forgery could arrive now.
        await world.btcpay.settle(target.providerPaymentId!, { webhook: false });
        const genuine = await world.withWebhooksLost(() => world.btcpay.settle(own.providerPaymentId!));
        const edited = genuine!.rawBody
          .replaceAll(own.providerPaymentId!, target.providerPaymentId!)
          .replaceAll(own.reference, target.reference);

        const body = JSON.stringify(invoiceSettled(target.providerPaymentId!, target.reference), null, 2);
        const good = hmac('sha256', BTCPAY_WEBHOOK_SECRET, body);
        const attempts: [string, string, Record<string, string>][] = [
          ['a forged signature', body, { 'btcpay-sig': `sha256=${'cd'.repeat(32)}` }],
          ['no signature header', body, {}],
          ['sha256= and nothing else', body, { 'btcpay-sig': 'sha256=' }],
          ['a signature made with another secret', body, { 'btcpay-sig': `sha256=${hmac('sha256', 'nope', body)}` }],
          ['HMAC-SHA512', body, { 'btcpay-sig': `sha512=${hmac('sha512', BTCPAY_WEBHOOK_SECRET, body)}` }],
          ['the right HMAC without its sha256= prefix', body, { 'btcpay-sig': good }],
          ['x-paystack-signature instead of BTCPay-Sig', body, { 'x-paystack-signature': good }],
          ['a valid signature over a different body (an edited genuine event)', edited, genuine!.headers],
          [
            'a valid signature over the same JSON re-serialized',
            JSON.stringify(JSON.parse(body)),
            { 'btcpay-sig': `sha256=${good}` },
          ],
        ];
        const events = await world.expectNoChange(async () => {
          for (const [label, raw, headers] of attempts) {
            const answer = await world.postWebhook('btcpay', raw, headers);
            expect(answer.status, label).toBe(401);
            expect(answer.body.error.code, label).toBe('invalid_signature');
          }
        });
        expectUnauthenticated(events, 'crypto', attempts.length);
        expect((await world.payment(victim, target.paymentId)).body.status).toBe('pending');
        expect((await world.payment(attacker, own.paymentId)).body.status).toBe('pending');
        // The app's verify does find the real settlement.
        expect((await world.verify(victim, target.paymentId)).body.status).toBe('paid');
        expect(await world.balance(victim)).toBe(PURCHASE_MICRO + BONUS_MICRO);
      });

      it('a signed body that is not a usable event is refused and stored', async () => {
        const user = await world.signUp();
        const purchase = await world.purchase(user, 'paystack');
        const bodies = [
          'not json at all',
          JSON.stringify({ event: 'charge.success' }),
          JSON.stringify({ event: 'charge.success', data: { reference: purchase.reference } }),
        ];
        const events = await world.expectNoChange(async () => {
          for (const raw of bodies) {
            const answer = await world.postWebhook('paystack', raw, {
              'x-paystack-signature': world.paystack.sign(raw),
            });
            expect(answer.status, raw).toBe(400);
          }
        });
        expect(events).toHaveLength(bodies.length);
        expect(events.every((e) => e.outcome.startsWith('rejected: '))).toBe(true);
      });
    });
  });
}
