import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PaystackSimulator } from '../../simulators/paystack.ts';
import { WebhookReceiver } from '../../simulators/webhook-receiver.ts';

const SECRET = 'sk_test_simulator_secret';

// Computed here with node:crypto, independently of the simulator's own sign().
const hmac512 = (body: string, key = SECRET) => createHmac('sha512', key).update(body).digest('hex');

let sim: PaystackSimulator;
let receiver: WebhookReceiver;
let base: string;

async function api(method: string, path: string, body?: unknown, key: string | null = SECRET) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key !== null) headers.authorization = `Bearer ${key}`;
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    redirect: 'manual',
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function initialize(overrides: Record<string, unknown> = {}) {
  const answer = await api('POST', '/transaction/initialize', {
    email: 'buyer@example.test',
    amount: 250_000,
    currency: 'NGN',
    reference: `ref-${Math.random().toString(36).slice(2)}`,
    callback_url: 'http://shop.example.test/return?order=7',
    metadata: { orderId: 'order-7' },
    ...overrides,
  });
  expect(answer.status).toBe(200);
  return answer.body.data as { authorization_url: string; access_code: string; reference: string };
}

beforeEach(async () => {
  receiver = new WebhookReceiver();
  sim = new PaystackSimulator({ secretKey: SECRET, webhookUrl: await receiver.start() });
  base = await sim.start();
});

afterEach(async () => {
  await sim.stop();
  await receiver.stop();
});

describe('PaystackSimulator API', () => {
  it('listens on 127.0.0.1 and a free port', () => {
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.url).toBe(base);
  });

  it.each([
    ['no Authorization header', null],
    ['a wrong key', 'sk_test_wrong'],
  ])('refuses %s with 401 Invalid key', async (_, key) => {
    for (const [method, path] of [
      ['POST', '/transaction/initialize'],
      ['GET', '/transaction/verify/anything'],
      ['POST', '/refund'],
    ] as const) {
      const answer = await api(method, path, method === 'POST' ? { email: 'a@b.co', amount: 1 } : undefined, key);
      expect(answer).toEqual({ status: 401, body: { status: false, message: 'Invalid key' } });
    }
    expect(sim.transactions()).toEqual([]);
  });

  it('initializes a transaction and links to its own checkout page', async () => {
    const answer = await api('POST', '/transaction/initialize', {
      email: 'buyer@example.test',
      amount: '250000', // Paystack accepts digit strings
      currency: 'NGN',
      reference: 'order-7.try=1',
      metadata: JSON.stringify({ orderId: 'order-7' }),
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: true, message: 'Authorization URL created' });
    const { authorization_url, access_code, reference } = answer.body.data;
    expect(reference).toBe('order-7.try=1');
    expect(authorization_url).toBe(`${base}/checkout/${access_code}`);
    const [stored] = sim.transactions();
    expect(stored).toMatchObject({
      amount: 250_000,
      currency: 'NGN',
      status: 'abandoned',
      metadata: { orderId: 'order-7' },
    });

    const page = await fetch(authorization_url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('order-7.try=1');
  });

  it('generates a reference when none is given, and defaults the currency to NGN', async () => {
    const data = await initialize({ reference: undefined, currency: undefined });
    expect(data.reference).toMatch(/^[a-z0-9]{10}$/);
    expect(sim.transaction(data.reference)?.currency).toBe('NGN');
  });

  it('refuses a duplicate reference with 400', async () => {
    await initialize({ reference: 'dup-1' });
    const again = await api('POST', '/transaction/initialize', {
      email: 'x@example.test',
      amount: 100,
      reference: 'dup-1',
    });
    expect(again).toEqual({ status: 400, body: { status: false, message: 'Duplicate Transaction Reference' } });
    expect(sim.transactions()).toHaveLength(1);
  });

  it.each([
    ['no email', { amount: 100 }],
    ['a malformed email', { email: 'nope', amount: 100 }],
    ['no amount', { email: 'a@example.test' }],
    ['a fractional amount', { email: 'a@example.test', amount: 100.5 }],
    ['a decimal string amount', { email: 'a@example.test', amount: '1.00' }],
    ['a zero amount', { email: 'a@example.test', amount: 0 }],
    ['an unsupported currency', { email: 'a@example.test', amount: 100, currency: 'EUR' }],
    ['a reference with an underscore', { email: 'a@example.test', amount: 100, reference: 'a_b' }],
  ])('refuses %s with 400', async (_, body) => {
    const answer = await api('POST', '/transaction/initialize', body);
    expect(answer.status).toBe(400);
    expect(answer.body.status).toBe(false);
    expect(typeof answer.body.message).toBe('string');
    expect(sim.transactions()).toEqual([]);
  });

  it('verifies an unknown reference as not found (400, as live Paystack does)', async () => {
    expect(await api('GET', '/transaction/verify/missing')).toEqual({
      status: 400,
      body: { status: false, message: 'Transaction reference not found' },
    });
  });

  it('can answer an unknown verify with 404, as the spec says', async () => {
    const strict = new PaystackSimulator({ secretKey: SECRET, verifyNotFoundStatus: 404 });
    const url = await strict.start();
    const response = await fetch(`${url}/transaction/verify/missing`, {
      headers: { authorization: `Bearer ${SECRET}` },
    });
    expect(response.status).toBe(404);
    await strict.stop();
  });

  it('verifies an unpaid transaction as abandoned, with status:true (the lookup, not the payment)', async () => {
    const { reference } = await initialize();
    const answer = await api('GET', `/transaction/verify/${reference}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      status: true,
      message: 'Verification successful',
      data: { status: 'abandoned', reference, amount: 250_000, currency: 'NGN', paid_at: null, channel: 'card' },
    });
    expect(answer.body.data.customer.email).toBe('buyer@example.test');
    expect(answer.body.data.metadata).toEqual({ orderId: 'order-7' });
  });
});

describe('PaystackSimulator payments and webhooks', () => {
  it('pay() settles the transaction and POSTs a charge.success signed over the raw body', async () => {
    const { reference } = await initialize();
    const delivery = await sim.pay(reference);

    expect(receiver.received).toHaveLength(1);
    const [hook] = receiver.received;
    expect(hook?.headers['content-type']).toBe('application/json');
    expect(hook?.headers['x-paystack-signature']).toBe(hmac512(hook?.rawBody ?? ''));
    expect(hook?.headers['x-paystack-signature']).not.toBe(hmac512(hook?.rawBody ?? '', 'sk_test_other'));
    expect(hook?.json).toMatchObject({
      event: 'charge.success',
      data: {
        reference,
        amount: 250_000,
        currency: 'NGN',
        status: 'success',
        customer: { email: 'buyer@example.test' },
        metadata: { orderId: 'order-7' },
      },
    });
    expect(typeof hook?.json.data.id).toBe('number');
    expect(new Date(hook?.json.data.paid_at).getTime()).not.toBeNaN();
    expect(delivery).toMatchObject({ type: 'charge.success', status: 200, rawBody: hook?.rawBody });
    expect(sim.sign(hook?.rawBody ?? '')).toBe(hmac512(hook?.rawBody ?? ''));

    const verified = await api('GET', `/transaction/verify/${reference}`);
    expect(verified.body.data).toMatchObject({ status: 'success', amount: 250_000, gateway_response: 'Successful' });
    expect(verified.body.data.paid_at).toBe(hook?.json.data.paid_at);
    expect(verified.body.data.id).toBe(hook?.json.data.id);
  });

  it('records the status the receiver answered, and a failed connection as null', async () => {
    receiver.status = 500;
    const first = await initialize();
    expect((await sim.pay(first.reference))?.status).toBe(500);

    sim.webhookUrl = 'http://127.0.0.1:1/webhook'; // nothing listens there
    const second = await initialize();
    const failed = await sim.pay(second.reference);
    expect(failed?.status).toBeNull();
    expect(failed?.error).toBeTruthy();
    expect(sim.deliveries().map((d) => d.status)).toEqual([500, null]);
  });

  it('forges the webhook amount/currency on request while verify tells the truth', async () => {
    const { reference } = await initialize();
    await sim.pay(reference, { amount: 100, currency: 'USD' });
    expect(receiver.received[0]?.json.data).toMatchObject({ amount: 100, currency: 'USD' });
    expect(receiver.received[0]?.headers['x-paystack-signature']).toBe(hmac512(receiver.received[0]?.rawBody ?? ''));
    const verified = await api('GET', `/transaction/verify/${reference}`);
    expect(verified.body.data).toMatchObject({ amount: 250_000, currency: 'NGN' });
  });

  it('can charge a different amount than initialized: both verify and the event say so', async () => {
    const { reference } = await initialize();
    await sim.pay(reference, { charged: { amount: 1_000 } });
    expect(receiver.received[0]?.json.data.amount).toBe(1_000);
    const verified = await api('GET', `/transaction/verify/${reference}`);
    expect(verified.body.data).toMatchObject({ amount: 1_000, requested_amount: 250_000, status: 'success' });
  });

  it('pay() without a webhook leaves verify as the only witness', async () => {
    const { reference } = await initialize();
    expect(await sim.pay(reference, { webhook: false })).toBeNull();
    expect(receiver.received).toEqual([]);
    expect((await api('GET', `/transaction/verify/${reference}`)).body.data.status).toBe('success');
  });

  it('fail() marks the transaction failed and sends nothing', async () => {
    const { reference } = await initialize();
    sim.fail(reference);
    expect(receiver.received).toEqual([]);
    const verified = await api('GET', `/transaction/verify/${reference}`);
    expect(verified.body).toMatchObject({ status: true, data: { status: 'failed', paid_at: null } });
  });

  it('refuses to pay twice, or to pay what failed or does not exist', async () => {
    const paid = await initialize();
    await sim.pay(paid.reference);
    await expect(sim.pay(paid.reference)).rejects.toThrow(/already success/);
    const failed = await initialize();
    sim.fail(failed.reference);
    await expect(sim.pay(failed.reference)).rejects.toThrow(/already failed/);
    await expect(sim.pay('nope')).rejects.toThrow(/no transaction/);
    expect(receiver.received).toHaveLength(1);
  });

  it('redelivers the same signed bytes N times sequentially', async () => {
    const { reference } = await initialize();
    const original = await sim.pay(reference);
    receiver.delayMs = 20;
    const again = await sim.deliver(original!, { times: 3 });
    expect(again.map((d) => d.status)).toEqual([200, 200, 200]);
    expect(receiver.received).toHaveLength(4);
    expect(new Set(receiver.received.map((h) => h.rawBody)).size).toBe(1);
    expect(new Set(receiver.received.map((h) => h.headers['x-paystack-signature'])).size).toBe(1);
    expect(receiver.maxInFlight).toBe(1);
  });

  it('redelivers N times concurrently', async () => {
    const { reference } = await initialize();
    const original = await sim.pay(reference);
    receiver.delayMs = 100;
    await sim.deliver(original!, { times: 5, concurrent: true });
    expect(receiver.received).toHaveLength(6);
    expect(receiver.maxInFlight).toBe(5);
  });

  it('delivers arbitrary events signed, or with a forged signature', async () => {
    const [signed] = await sim.deliver({ event: 'charge.success', data: { reference: 'x' } });
    expect(signed?.type).toBe('charge.success');
    await sim.deliver('{"event":"charge.success"}', { signature: 'deadbeef' });
    expect(receiver.received[0]?.headers['x-paystack-signature']).toBe(hmac512(receiver.received[0]?.rawBody ?? ''));
    expect(receiver.received[1]?.headers['x-paystack-signature']).toBe('deadbeef');
    expect(receiver.received[1]?.rawBody).toBe('{"event":"charge.success"}');
  });

  it('checkout Pay settles, sends charge.success and redirects to callback_url with trxref and reference', async () => {
    const { authorization_url, reference } = await initialize();
    const response = await fetch(`${authorization_url}/pay`, { method: 'POST', redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.origin + location.pathname).toBe('http://shop.example.test/return');
    expect(Object.fromEntries(location.searchParams)).toEqual({ order: '7', trxref: reference, reference });
    expect(receiver.received[0]?.json.event).toBe('charge.success');
    expect(sim.transaction(reference)?.status).toBe('success');
  });

  it('checkout Decline fails the transaction', async () => {
    const { authorization_url, reference } = await initialize();
    const response = await fetch(`${authorization_url}/decline`, { method: 'POST' });
    expect(response.status).toBe(200);
    expect(sim.transaction(reference)?.status).toBe('failed');
    expect(receiver.received).toEqual([]);
  });
});

describe('PaystackSimulator refunds', () => {
  async function paid() {
    const data = await initialize();
    await sim.pay(data.reference);
    receiver.received.length = 0;
    return data.reference;
  }

  it('queues a full refund by reference, then sends refund.processed when processed', async () => {
    const reference = await paid();
    const answer = await api('POST', '/refund', { transaction: reference });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      status: true,
      message: 'Refund has been queued for processing',
      data: { transaction: { reference }, amount: 250_000, currency: 'NGN', status: 'pending' },
    });
    expect(receiver.received).toEqual([]);

    const delivery = await sim.processRefund(answer.body.data.id);
    expect(delivery.type).toBe('refund.processed');
    const [hook] = receiver.received;
    expect(hook?.headers['x-paystack-signature']).toBe(hmac512(hook?.rawBody ?? ''));
    expect(hook?.json).toMatchObject({
      event: 'refund.processed',
      data: { status: 'processed', transaction_reference: reference, amount: 250_000, currency: 'NGN' },
    });
    expect(sim.refunds()[0]?.status).toBe('processed');
  });

  it('refunds partially by transaction id (string amount), and refuses more than is left', async () => {
    const reference = await paid();
    const id = sim.transaction(reference)?.id;
    const part = await api('POST', '/refund', { transaction: id, amount: '50000' });
    expect(part.body.data).toMatchObject({ amount: 50_000, transaction: { id, reference } });
    const tooMuch = await api('POST', '/refund', { transaction: reference, amount: 200_001 });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.status).toBe(false);
    const rest = await api('POST', '/refund', { transaction: reference });
    expect(rest.body.data.amount).toBe(200_000);
  });

  it('gives the amount back when a refund fails, with refund.failed', async () => {
    const reference = await paid();
    const answer = await api('POST', '/refund', { transaction: reference });
    await sim.failRefund(answer.body.data.id);
    expect(receiver.received[0]?.json).toMatchObject({ event: 'refund.failed', data: { status: 'failed' } });
    await expect(sim.processRefund(answer.body.data.id)).rejects.toThrow(/already failed/);
    const again = await api('POST', '/refund', { transaction: reference });
    expect(again.body.data.amount).toBe(250_000);
  });

  it('refuses refunds of unknown or unpaid transactions', async () => {
    expect((await api('POST', '/refund', { transaction: 'nope' })).status).toBe(404);
    const { reference } = await initialize();
    const unpaid = await api('POST', '/refund', { transaction: reference });
    expect(unpaid.status).toBe(400);
    expect(sim.refunds()).toEqual([]);
  });

  it('processes refunds by itself after answering, when asked to', async () => {
    const auto = new PaystackSimulator({ secretKey: SECRET, webhookUrl: sim.webhookUrl, autoProcessRefunds: true });
    const url = await auto.start();
    const headers = { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' };
    const init = await fetch(`${url}/transaction/initialize`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ email: 'a@example.test', amount: 500, reference: 'auto-1' }),
    });
    expect(init.status).toBe(200);
    await auto.pay('auto-1');
    const refund = await fetch(`${url}/refund`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ transaction: 'auto-1' }),
    });
    expect(((await refund.json()) as any).data.status).toBe('pending');
    await auto.idle();
    expect(receiver.received.map((h) => h.json.event)).toEqual(['charge.success', 'refund.processed']);
    expect(auto.refunds()[0]?.status).toBe('processed');
    await auto.stop();
  });
});
