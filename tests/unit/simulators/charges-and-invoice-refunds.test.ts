import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BtcpaySimulator } from '../../simulators/btcpay.ts';
import { PaystackSimulator } from '../../simulators/paystack.ts';
import { WebhookReceiver } from '../../simulators/webhook-receiver.ts';

const SECRET = 'sk_test_charges_secret';
const API_KEY = 'greenfield-key';
const STORE = 'StoreRefunds1';

let receiver: WebhookReceiver;
let paystack: PaystackSimulator;
let btcpay: BtcpaySimulator;

async function call(base: string, method: string, path: string, body: unknown, authorization: string) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}
const ps = (path: string, body: unknown) => call(paystack.url, 'POST', path, body, `Bearer ${SECRET}`);
const gf = (path: string, body: unknown) => call(btcpay.url, 'POST', path, body, `token ${API_KEY}`);

/** A paid card transaction; returns its authorization code as verify shows it. */
async function paidCard(email: string, reusable = true) {
  const init = await ps('/transaction/initialize', { email, amount: 2_500, currency: 'USD' });
  await paystack.pay(init.body.data.reference, { reusable });
  const verified = await call(
    paystack.url,
    'GET',
    `/transaction/verify/${init.body.data.reference}`,
    undefined,
    `Bearer ${SECRET}`,
  );
  return verified.body.data.authorization as { authorization_code: string; reusable: boolean; last4: string };
}

beforeEach(async () => {
  receiver = new WebhookReceiver();
  const webhookUrl = await receiver.start();
  paystack = new PaystackSimulator({ secretKey: SECRET, webhookUrl, currencies: ['USD'] });
  btcpay = new BtcpaySimulator({ apiKey: API_KEY, storeId: STORE, webhookSecret: 'whsec', webhookUrl });
  await Promise.all([paystack.start(), btcpay.start()]);
});

afterEach(async () => {
  await Promise.all([paystack.stop(), btcpay.stop()]);
  await receiver.stop();
});

describe('Paystack simulator: POST /transaction/charge_authorization', () => {
  it('charges a reusable authorization for its own email, then sends a signed charge.success', async () => {
    const card = await paidCard('card@example.test');
    expect(card).toMatchObject({ reusable: true, last4: '4081' });
    const charged = await ps('/transaction/charge_authorization', {
      email: 'card@example.test',
      authorization_code: card.authorization_code,
      amount: 1_000,
      currency: 'USD',
      reference: 'topup-1',
    });
    expect(charged.status).toBe(200);
    expect(charged.body).toMatchObject({ status: true, message: 'Charge attempted' });
    expect(charged.body.data).toMatchObject({ status: 'success', reference: 'topup-1', amount: 1_000 });
    // The charge reuses the card's authorization rather than minting another.
    expect(charged.body.data.authorization.authorization_code).toBe(card.authorization_code);
    await paystack.idle();
    const event = receiver.received.find((r) => r.json.data?.reference === 'topup-1')!;
    expect(event.json.event).toBe('charge.success');
    const expected = createHmac('sha512', SECRET).update(event.rawBody).digest('hex');
    expect(event.headers['x-paystack-signature']).toBe(expected);
    expect(paystack.charges().map((c) => c.reference)).toEqual(['topup-1']);

    const again = await ps('/transaction/charge_authorization', {
      email: 'card@example.test',
      authorization_code: card.authorization_code,
      amount: 1_000,
      reference: 'topup-1',
    });
    expect(again).toMatchObject({ status: 400, body: { message: 'Duplicate Transaction Reference' } });
  });

  it('a declined card answers "Charge attempted" with data.status failed and no webhook', async () => {
    const card = await paidCard('poor@example.test');
    paystack.declineCharges(card.authorization_code, 'Insufficient Funds');
    const before = receiver.received.length;
    const charged = await ps('/transaction/charge_authorization', {
      email: 'poor@example.test',
      authorization_code: card.authorization_code,
      amount: 1_000,
    });
    expect(charged.status).toBe(200);
    expect(charged.body.data).toMatchObject({ status: 'failed', gateway_response: 'Insufficient Funds' });
    await paystack.idle();
    expect(receiver.received).toHaveLength(before);
  });

  it('refuses an unknown code, another email, a non-reusable card and a bad amount', async () => {
    const card = await paidCard('owner@example.test');
    const once = await paidCard('once@example.test', false);
    expect(once.reusable).toBe(false);
    const base = { email: 'owner@example.test', authorization_code: card.authorization_code, amount: 1_000 };
    for (const [body, message] of [
      [{ ...base, authorization_code: 'AUTH_nope' }, 'Invalid authorization code'],
      [{ ...base, email: 'thief@example.test' }, 'Email does not match Authorization code'],
      [
        { ...base, email: 'once@example.test', authorization_code: once.authorization_code },
        'This authorization is not reusable',
      ],
      [{ ...base, amount: -5 }, 'Invalid Amount Sent'],
    ] as const) {
      expect(await ps('/transaction/charge_authorization', body)).toMatchObject({ status: 400, body: { message } });
    }
    expect(paystack.charges()).toEqual([]);
  });
});

describe('BTCPay simulator: POST /api/v1/stores/{storeId}/invoices/{invoiceId}/refund', () => {
  async function settledInvoice() {
    const created = await gf(`/api/v1/stores/${STORE}/invoices`, { amount: '25.00', currency: 'USD' });
    await btcpay.settle(created.body.id, { webhook: false });
    return created.body.id as string;
  }
  const refund = (invoiceId: string, body: unknown) => gf(`/api/v1/stores/${STORE}/invoices/${invoiceId}/refund`, body);

  it('refunds a settled invoice as a pull payment with a claim link', async () => {
    const id = await settledInvoice();
    const answer = await refund(id, { paymentMethod: 'BTC-CHAIN', refundVariant: 'Fiat', name: 'Refund order 7' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ name: 'Refund order 7', amount: '25.00', currency: 'USD', archived: false });
    expect(answer.body.viewLink).toBe(`${btcpay.url}/pull-payments/${answer.body.id}`);
    expect(btcpay.refunds()).toMatchObject([{ invoiceId: id, refundVariant: 'Fiat', paymentMethod: 'BTC-CHAIN' }]);
  });

  it('validates like Greenfield: 422 for a missing method or variant, Custom needs its amount; 400 unless settled', async () => {
    const id = await settledInvoice();
    expect((await refund(id, { refundVariant: 'Fiat' })).status).toBe(422);
    expect((await refund(id, { paymentMethod: 'BTC-CHAIN', refundVariant: 'Later' })).status).toBe(422);
    expect((await refund(id, { paymentMethod: 'BTC-CHAIN', refundVariant: 'Custom' })).status).toBe(422);
    const custom = await refund(id, {
      paymentMethod: 'BTC-CHAIN',
      refundVariant: 'Custom',
      customAmount: '10',
      customCurrency: 'usd',
    });
    expect(custom.body).toMatchObject({ amount: '10', currency: 'USD' });
    const fresh = await gf(`/api/v1/stores/${STORE}/invoices`, { amount: '5.00', currency: 'USD' });
    const unpaid = await refund(fresh.body.id, { paymentMethod: 'BTC-CHAIN', refundVariant: 'Fiat' });
    expect(unpaid).toMatchObject({ status: 400, body: { code: 'non-refundable' } });
    expect((await refund('NoSuchInvoice', { paymentMethod: 'BTC-CHAIN', refundVariant: 'Fiat' })).status).toBe(404);
    expect(btcpay.refunds()).toHaveLength(1);
  });
});
