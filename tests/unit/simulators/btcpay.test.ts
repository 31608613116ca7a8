import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BtcpaySimulator } from '../../simulators/btcpay.ts';
import { WebhookReceiver } from '../../simulators/webhook-receiver.ts';

const API_KEY = 'greenfield-api-key';
const STORE = 'StoreAbc123';
const SECRET = 'webhook-secret';

// Computed here with node:crypto, independently of the simulator's own sign().
const sig = (body: string, key = SECRET) => `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;

let sim: BtcpaySimulator;
let receiver: WebhookReceiver;
let base: string;

async function api(method: string, path: string, body?: unknown, key: string | null = API_KEY) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key !== null) headers.authorization = `token ${key}`;
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function createInvoice(overrides: Record<string, unknown> = {}) {
  const answer = await api('POST', `/api/v1/stores/${STORE}/invoices`, {
    amount: '25.00',
    currency: 'USD',
    metadata: { orderId: 'order-9' },
    checkout: { redirectURL: 'http://shop.example.test/done' },
    ...overrides,
  });
  expect(answer.status).toBe(200);
  return answer.body as { id: string; [key: string]: any };
}

const getInvoice = (id: string, store = STORE) => api('GET', `/api/v1/stores/${store}/invoices/${id}`);

beforeEach(async () => {
  receiver = new WebhookReceiver();
  sim = new BtcpaySimulator({
    apiKey: API_KEY,
    storeId: STORE,
    webhookSecret: SECRET,
    webhookUrl: await receiver.start(),
  });
  base = await sim.start();
});

afterEach(async () => {
  await sim.stop();
  await receiver.stop();
});

describe('BtcpaySimulator Greenfield API', () => {
  it('listens on 127.0.0.1 and a free port', () => {
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it.each([
    ['no Authorization header', null],
    ['a wrong key', 'not-the-key'],
  ])('refuses %s with 401', async (_, key) => {
    const created = await api('POST', `/api/v1/stores/${STORE}/invoices`, { amount: 1 }, key);
    expect(created.status).toBe(401);
    expect(created.body.code).toBe('unauthenticated');
    expect((await api('GET', `/api/v1/stores/${STORE}/invoices/x`, undefined, key)).status).toBe(401);
    expect(sim.invoices()).toEqual([]);
  });

  it('refuses a Bearer token: Greenfield keys use the "token" scheme', async () => {
    const response = await fetch(`${base}/api/v1/stores/${STORE}/invoices`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: '{"amount":1}',
    });
    expect(response.status).toBe(401);
  });

  it('answers 404 for another store', async () => {
    const answer = await api('POST', '/api/v1/stores/OtherStore/invoices', { amount: '1.00' });
    expect(answer).toEqual({ status: 404, body: { code: 'store-not-found', message: 'The store was not found' } });
  });

  it('creates an invoice in the Greenfield shape', async () => {
    const before = Math.floor(Date.now() / 1000);
    const invoice = await createInvoice();
    expect(invoice).toMatchObject({
      storeId: STORE,
      amount: '25.00',
      currency: 'USD',
      status: 'New',
      additionalStatus: 'None',
      type: 'Standard',
      metadata: { orderId: 'order-9' },
      checkout: { redirectURL: 'http://shop.example.test/done', expirationMinutes: 15 },
    });
    expect(invoice.id).toMatch(/^[1-9A-HJ-NP-Za-km-z]{22}$/);
    expect(invoice.checkoutLink).toBe(`${base}/i/${invoice.id}`);
    expect(invoice.createdTime).toBeGreaterThanOrEqual(before);
    expect(invoice.expirationTime).toBe(invoice.createdTime + 15 * 60);
    const page = await fetch(invoice.checkoutLink);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(invoice.id);
  });

  it.each([
    ['25.00', '25.00'],
    [25, '25'],
    [25.5, '25.5'],
    ['0.0001', '0.0001'],
  ])('keeps the amount %j as the decimal string %j', async (amount, expected) => {
    expect((await createInvoice({ amount })).amount).toBe(expected);
  });

  it('uppercases the currency, defaults it to the store currency, and honours expirationMinutes', async () => {
    expect((await createInvoice({ currency: 'eur' })).currency).toBe('EUR');
    expect((await createInvoice({ currency: undefined })).currency).toBe('USD');
    const short = await createInvoice({ checkout: { expirationMinutes: 1 } });
    expect(short.expirationTime - short.createdTime).toBe(60);
  });

  it.each([
    ['a negative amount', { amount: '-1' }, 'amount'],
    ['a non-numeric amount', { amount: 'ten' }, 'amount'],
    ['metadata that is not an object', { amount: 1, metadata: [1] }, 'metadata'],
    ['an expiration under 30 s', { amount: 1, checkout: { expirationMinutes: 0.1 } }, 'checkout.expirationMinutes'],
  ])('refuses %s with 422 and the path', async (_, body, path) => {
    const answer = await api('POST', `/api/v1/stores/${STORE}/invoices`, body);
    expect(answer.status).toBe(422);
    expect(answer.body[0].path).toBe(path);
    expect(sim.invoices()).toEqual([]);
  });

  it('gets an invoice; unknown ids and other stores are 404', async () => {
    const invoice = await createInvoice();
    const got = await getInvoice(invoice.id);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(invoice);
    expect(await getInvoice('nope')).toEqual({
      status: 404,
      body: { code: 'invoice-not-found', message: 'The invoice was not found' },
    });
    expect((await getInvoice(invoice.id, 'OtherStore')).status).toBe(404);
  });
});

describe('BtcpaySimulator status transitions and webhooks', () => {
  it('settle() updates the invoice and POSTs InvoiceSettled, signed over the exact indented bytes', async () => {
    const invoice = await createInvoice();
    const delivery = await sim.settle(invoice.id);

    const got = await getInvoice(invoice.id);
    expect(got.body).toMatchObject({ status: 'Settled', additionalStatus: 'None', paidAmount: '25.00' });

    expect(receiver.received).toHaveLength(1);
    const [hook] = receiver.received;
    expect(hook?.headers['content-type']).toBe('application/json');
    expect(hook?.headers['btcpay-sig']).toBe(sig(hook?.rawBody ?? ''));
    expect(hook?.headers['btcpay-sig']).not.toBe(sig(hook?.rawBody ?? '', 'other-secret'));
    // BTCPay writes indented JSON: re-serializing the parsed body would break the signature.
    expect(hook?.rawBody).not.toBe(JSON.stringify(hook?.json));
    expect(hook?.headers['btcpay-sig']).not.toBe(sig(JSON.stringify(hook?.json)));
    expect(hook?.json).toMatchObject({
      webhookId: sim.webhookId,
      isRedelivery: false,
      type: 'InvoiceSettled',
      storeId: STORE,
      invoiceId: invoice.id,
      metadata: { orderId: 'order-9' },
      manuallyMarked: false,
    });
    expect(hook?.json.originalDeliveryId).toBe(hook?.json.deliveryId);
    expect(Math.abs(hook?.json.timestamp - Date.now() / 1000)).toBeLessThan(5);
    expect(delivery).toMatchObject({ type: 'InvoiceSettled', status: 200 });
    expect(sim.sign(hook?.rawBody ?? '')).toBe(hook?.headers['btcpay-sig']);
  });

  it('process() then settle(): Processing, then Settled, one event each', async () => {
    const invoice = await createInvoice();
    await sim.process(invoice.id);
    expect((await getInvoice(invoice.id)).body.status).toBe('Processing');
    await sim.settle(invoice.id);
    expect((await getInvoice(invoice.id)).body.status).toBe('Settled');
    expect(receiver.received.map((h) => h.json.type)).toEqual(['InvoiceProcessing', 'InvoiceSettled']);
  });

  it('expire() and invalidate() send InvoiceExpired and InvoiceInvalid', async () => {
    const late = await createInvoice();
    await sim.expire(late.id);
    expect((await getInvoice(late.id)).body).toMatchObject({ status: 'Expired', additionalStatus: 'None' });
    const bad = await createInvoice();
    await sim.process(bad.id);
    await sim.invalidate(bad.id);
    expect((await getInvoice(bad.id)).body.status).toBe('Invalid');
    expect(receiver.received.map((h) => [h.json.type, h.json.invoiceId])).toEqual([
      ['InvoiceExpired', late.id],
      ['InvoiceProcessing', bad.id],
      ['InvoiceInvalid', bad.id],
    ]);
    expect(receiver.received[2]?.json.manuallyMarked).toBe(false);
    for (const hook of receiver.received) expect(hook.headers['btcpay-sig']).toBe(sig(hook.rawBody));
  });

  it('settling an expired invoice is a late payment; marking by hand says Marked', async () => {
    const late = await createInvoice();
    await sim.expire(late.id);
    await sim.settle(late.id);
    expect((await getInvoice(late.id)).body).toMatchObject({ status: 'Settled', additionalStatus: 'PaidLate' });
    const marked = await createInvoice();
    await sim.invalidate(marked.id);
    expect((await getInvoice(marked.id)).body).toMatchObject({ status: 'Invalid', additionalStatus: 'Marked' });
    expect(receiver.received.at(-1)?.json.manuallyMarked).toBe(true);
  });

  it('refuses impossible transitions without sending anything', async () => {
    const invoice = await createInvoice();
    await sim.settle(invoice.id);
    await expect(sim.expire(invoice.id)).rejects.toThrow(/cannot expire .* Settled/);
    await expect(sim.settle(invoice.id)).rejects.toThrow(/cannot settle/);
    await expect(sim.process(invoice.id)).rejects.toThrow(/cannot process/);
    await expect(sim.settle('nope')).rejects.toThrow(/no invoice/);
    expect(receiver.received).toHaveLength(1);
  });

  it('settle() can change the amount and currency our server will fetch', async () => {
    const invoice = await createInvoice();
    await sim.settle(invoice.id, { amount: '1.00', currency: 'EUR' });
    expect((await getInvoice(invoice.id)).body).toMatchObject({ status: 'Settled', amount: '1.00', currency: 'EUR' });
    expect(receiver.received[0]?.json.invoiceId).toBe(invoice.id);
  });

  it('tamper() changes metadata silently; webhook:false changes status silently', async () => {
    const invoice = await createInvoice();
    sim.tamper(invoice.id, { metadata: { orderId: 'someone-else' } });
    expect(await sim.settle(invoice.id, { webhook: false })).toBeNull();
    expect(receiver.received).toEqual([]);
    expect((await getInvoice(invoice.id)).body).toMatchObject({
      status: 'Settled',
      metadata: { orderId: 'someone-else' },
    });
  });

  it('records the receiver status, and null when nothing answers', async () => {
    receiver.status = 503;
    const first = await createInvoice();
    expect((await sim.settle(first.id))?.status).toBe(503);
    sim.webhookUrl = 'http://127.0.0.1:1/webhook';
    const second = await createInvoice();
    expect((await sim.settle(second.id))?.status).toBeNull();
    expect(sim.deliveries().map((d) => d.status)).toEqual([503, null]);
  });
});

describe('BtcpaySimulator redelivery', () => {
  it('redeliver() sends new deliveryIds with isRedelivery and the original id, sequentially', async () => {
    const invoice = await createInvoice();
    const original = await sim.settle(invoice.id);
    const first = receiver.received[0]?.json;
    receiver.delayMs = 20;
    const again = await sim.redeliver(original!, { times: 3 });
    expect(again.map((d) => d.status)).toEqual([200, 200, 200]);
    const redelivered = receiver.received.slice(1);
    expect(redelivered).toHaveLength(3);
    for (const hook of redelivered) {
      expect(hook.headers['btcpay-sig']).toBe(sig(hook.rawBody));
      expect(hook.json).toMatchObject({
        isRedelivery: true,
        originalDeliveryId: first.deliveryId,
        type: 'InvoiceSettled',
        invoiceId: invoice.id,
        timestamp: first.timestamp,
      });
    }
    const ids = new Set([first.deliveryId, ...redelivered.map((h) => h.json.deliveryId)]);
    expect(ids.size).toBe(4);
    expect(receiver.maxInFlight).toBe(1);
  });

  it('a redelivery of a redelivery still points at the first delivery', async () => {
    const invoice = await createInvoice();
    const original = await sim.settle(invoice.id);
    const [second] = await sim.redeliver(original!);
    await sim.redeliver(second!);
    expect(receiver.received[2]?.json.originalDeliveryId).toBe(receiver.received[0]?.json.deliveryId);
  });

  it('redelivers concurrently', async () => {
    const invoice = await createInvoice();
    const original = await sim.settle(invoice.id);
    receiver.delayMs = 100;
    await sim.redeliver(original!, { times: 4, concurrent: true });
    expect(receiver.received).toHaveLength(5);
    expect(receiver.maxInFlight).toBe(4);
  });

  it('deliver() replays the exact bytes (same deliveryId), sequentially or concurrently', async () => {
    const invoice = await createInvoice();
    const original = await sim.settle(invoice.id);
    receiver.delayMs = 50;
    await sim.deliver(original!, { times: 2 });
    expect(receiver.maxInFlight).toBe(1);
    await sim.deliver(original!, { times: 3, concurrent: true });
    expect(receiver.maxInFlight).toBe(3);
    expect(receiver.received).toHaveLength(6);
    expect(new Set(receiver.received.map((h) => h.rawBody)).size).toBe(1);
    expect(new Set(receiver.received.map((h) => h.headers['btcpay-sig'])).size).toBe(1);
  });

  it('deliver() can forge the signature', async () => {
    await sim.deliver({ type: 'InvoiceSettled', invoiceId: 'x' }, { signature: 'sha256=00' });
    expect(receiver.received[0]?.headers['btcpay-sig']).toBe('sha256=00');
    expect(receiver.received[0]?.rawBody).toBe(JSON.stringify({ type: 'InvoiceSettled', invoiceId: 'x' }, null, 2));
  });
});
