import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { setRole } from '../../../server/accounts/admin-users.ts';
import type { Engine } from '../../../server/db/types.ts';
import { verifyLedger } from '../../../server/ledger/verify-ledger.ts';
import { BtcpaySimulator } from '../../simulators/btcpay.ts';
import { PaystackSimulator } from '../../simulators/paystack.ts';
import { startTestService, type TestService } from '../../support/test-service.ts';

/** Test keys: Paystack's sk_test_ prefix makes the service show test mode for card payments. */
export const PAYSTACK_SECRET = 'sk_test_atlantic_payments_suite_0123456789';
export const BTCPAY_API_KEY = 'btcpay-greenfield-key-payments-suite';
export const BTCPAY_STORE = 'StorePaymentsSuite1';
export const BTCPAY_WEBHOOK_SECRET = 'btcpay-webhook-secret-payments-suite';

const PASSWORD = 'correct horse battery';

/** A webhook URL nothing listens on: a provider's delivery there fails, as when the service is briefly down. */
export const UNREACHABLE_WEBHOOK = 'http://127.0.0.1:9/api/webhooks/unreachable';

/** Every $25 purchase lands 25 credits and a 2-credit bonus (µcr). */
export const PURCHASE_MICRO = 25_000_000;
export const BONUS_MICRO = 2_000_000;

export type Method = 'paystack' | 'crypto' | 'sandbox';

export interface User {
  email: string;
  token: string;
  userId: string;
}

export interface Purchase {
  paymentId: string;
  checkoutUrl: string;
  /** Our reference, as sent to the provider. */
  reference: string;
  /** The provider's own id (BTCPay invoice id); null for Paystack and the sandbox. */
  providerPaymentId: string | null;
  body: any;
}

export interface PaymentEventRow {
  provider: string;
  event_type: string | null;
  provider_reference: string | null;
  payment_id: string | null;
  signature_valid: boolean;
  outcome: string;
}

/**
 * The real billing service over HTTP with all three payment methods enabled, its
 * Paystack and BTCPay base URLs pointing at the local simulators, whose webhooks
 * go to the service's real webhook endpoints.
 */
export class PaymentsWorld {
  readonly service: TestService;
  readonly paystack: PaystackSimulator;
  readonly btcpay: BtcpaySimulator;

  private constructor(service: TestService, paystack: PaystackSimulator, btcpay: BtcpaySimulator) {
    this.service = service;
    this.paystack = paystack;
    this.btcpay = btcpay;
  }

  static async start(engine: Engine, env: Record<string, string> = {}): Promise<PaymentsWorld> {
    const paystack = new PaystackSimulator({ secretKey: PAYSTACK_SECRET, currencies: ['USD', 'NGN'] });
    const btcpay = new BtcpaySimulator({
      apiKey: BTCPAY_API_KEY,
      storeId: BTCPAY_STORE,
      webhookSecret: BTCPAY_WEBHOOK_SECRET,
    });
    const [paystackUrl, btcpayUrl] = await Promise.all([paystack.start(), btcpay.start()]);
    let service: TestService;
    try {
      service = await startTestService(engine, {
        LOGIN_RATE_LIMIT: '1000',
        PAYMENT_METHODS: 'sandbox,paystack,crypto',
        PAYSTACK_BASE_URL: paystackUrl,
        PAYSTACK_SECRET_KEY: PAYSTACK_SECRET,
        BTCPAY_URL: btcpayUrl,
        BTCPAY_API_KEY,
        BTCPAY_STORE_ID: BTCPAY_STORE,
        BTCPAY_WEBHOOK_SECRET,
        ...env,
      });
    } catch (error) {
      await Promise.all([paystack.stop(), btcpay.stop()]);
      throw error;
    }
    paystack.webhookUrl = `${service.url}/api/webhooks/paystack`;
    btcpay.webhookUrl = `${service.url}/api/webhooks/btcpay`;
    return new PaymentsWorld(service, paystack, btcpay);
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.paystack.stop(), this.btcpay.stop()]);
    await this.service.stop();
  }

  get db() {
    return this.service.db;
  }

  async signUp(label = 'buyer'): Promise<User> {
    const email = `${label}-${randomUUID().slice(0, 8)}@example.com`;
    const { status, body } = await this.service.call('POST', '/api/auth/register', {
      body: { email, password: PASSWORD },
    });
    expect(status, JSON.stringify(body)).toBe(201);
    return { email, token: body.token as string, userId: body.user.id as string };
  }

  /** A new account promoted to admin, signed in again so its token carries the role. */
  async admin(): Promise<User> {
    const user = await this.signUp('admin');
    await setRole(this.db, user.userId, 'admin');
    const { status, body } = await this.service.call('POST', '/api/auth/login', {
      body: { email: user.email, password: PASSWORD },
    });
    expect(status).toBe(200);
    return { ...user, token: body.token as string };
  }

  /** POST /api/credits/purchase for a package; expects the pending payment and its checkout. */
  async purchase(user: User, method: Method, dollars = 25): Promise<Purchase> {
    const { status, body } = await this.service.call('POST', '/api/credits/purchase', {
      token: user.token,
      body: { amount: dollars, method },
    });
    expect(status, JSON.stringify(body)).toBe(201);
    expect(body).toMatchObject({ status: 'pending', method, amount_cents: dollars * 100, currency: 'USD' });
    const { rows } = await this.db.query<{ provider_reference: string; provider_payment_id: string | null }>(
      'SELECT provider_reference, provider_payment_id FROM payments WHERE id = $1',
      [body.payment_id],
    );
    expect(rows).toHaveLength(1);
    return {
      paymentId: body.payment_id,
      checkoutUrl: body.checkout_url,
      reference: rows[0]!.provider_reference,
      providerPaymentId: rows[0]!.provider_payment_id,
      body,
    };
  }

  /** GET /api/payments/:id as the given user. */
  async payment(user: User, paymentId: string) {
    return this.service.call('GET', `/api/payments/${paymentId}`, { token: user.token });
  }

  /** POST /api/payments/:id/verify as the given user. */
  async verify(user: User, paymentId: string) {
    return this.service.call('POST', `/api/payments/${paymentId}/verify`, { token: user.token });
  }

  /** The user's balance in µcr, as the API reports it. */
  async balance(user: User): Promise<number> {
    const { status, body } = await this.service.call('GET', '/api/credits/balance', { token: user.token });
    expect(status).toBe(200);
    return body.balance_micro as number;
  }

  /** The ledger entries that name this payment, oldest first. */
  async entriesOf(paymentId: string): Promise<{ kind: string; amount: number }[]> {
    const { rows } = await this.db.query<{ kind: string; amount: string }>(
      'SELECT kind, amount::text AS amount FROM ledger_entries WHERE payment_id = $1 ORDER BY id',
      [paymentId],
    );
    return rows.map((r) => ({ kind: r.kind, amount: Number(r.amount) }));
  }

  async paymentRow(paymentId: string) {
    const { rows } = await this.db.query<{ status: string; refund_shortfall: string; failure_reason: string | null }>(
      'SELECT status, refund_shortfall::text AS refund_shortfall, failure_reason FROM payments WHERE id = $1',
      [paymentId],
    );
    return rows[0];
  }

  /** Everything money-related: ledger, wallets and payments. Webhook audit rows are not part of it. */
  async moneyState() {
    const q = async (sql: string) => (await this.db.query(sql)).rows;
    return {
      entries: await q('SELECT count(*)::int AS n, COALESCE(sum(amount), 0)::text AS total FROM ledger_entries'),
      wallets: await q(
        `SELECT user_id::text, balance::text, total_purchased::text, total_spent::text FROM wallets ORDER BY user_id`,
      ),
      payments: await q(
        `SELECT id::text, status, refund_shortfall::text, paid_at, failure_reason, checkout_url
         FROM payments ORDER BY id`,
      ),
    };
  }

  async lastEventId(): Promise<number> {
    const { rows } = await this.db.query<{ id: string | null }>('SELECT max(id)::text AS id FROM payment_events');
    return Number(rows[0]?.id ?? 0);
  }

  /** payment_events rows stored after `afterId`, oldest first. */
  async eventsSince(afterId: number): Promise<PaymentEventRow[]> {
    const { rows } = await this.db.query<PaymentEventRow>(
      `SELECT provider, event_type, provider_reference, payment_id::text AS payment_id, signature_valid, outcome
       FROM payment_events WHERE id > $1 ORDER BY id`,
      [afterId],
    );
    return rows;
  }

  async eventsOf(paymentId: string): Promise<PaymentEventRow[]> {
    const { rows } = await this.db.query<PaymentEventRow>(
      `SELECT provider, event_type, provider_reference, payment_id::text AS payment_id, signature_valid, outcome
       FROM payment_events WHERE payment_id = $1 ORDER BY id`,
      [paymentId],
    );
    return rows;
  }

  /**
   * Runs `act` and checks that it changed no money (ledger, balances, payment statuses)
   * and left the books balanced. Returns the webhook audit rows it caused.
   */
  async expectNoChange(act: () => Promise<void>): Promise<PaymentEventRow[]> {
    const before = await this.moneyState();
    const lastEvent = await this.lastEventId();
    await act();
    expect(await this.moneyState()).toEqual(before);
    expect(await verifyLedger(this.db)).toEqual([]);
    return this.eventsSince(lastEvent);
  }

  /** POSTs a raw webhook to the service, with exactly the headers given (no signing). */
  async postWebhook(provider: 'paystack' | 'btcpay', rawBody: string, headers: Record<string, string>) {
    const response = await fetch(`${this.service.url}/api/webhooks/${provider}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: rawBody,
    });
    const text = await response.text();
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {
      // keep the text
    }
    return { status: response.status, body };
  }

  /** Pays a purchase the way its customer would: the provider's checkout, then its webhook. */
  /** Runs `act` while both providers' webhooks cannot reach us (a lost first delivery), then reconnects them. */
  async withWebhooksLost<T>(act: () => Promise<T>): Promise<T> {
    this.paystack.webhookUrl = UNREACHABLE_WEBHOOK;
    this.btcpay.webhookUrl = UNREACHABLE_WEBHOOK;
    try {
      return await act();
    } finally {
      this.paystack.webhookUrl = `${this.service.url}/api/webhooks/paystack`;
      this.btcpay.webhookUrl = `${this.service.url}/api/webhooks/btcpay`;
    }
  }

  async pay(purchase: Purchase, method: Method): Promise<void> {
    if (method === 'paystack') {
      const paid = await fetch(`${purchase.checkoutUrl}/pay`, { method: 'POST', redirect: 'manual' });
      await paid.arrayBuffer();
      expect(paid.status).toBe(302);
    } else if (method === 'crypto') {
      const delivery = await this.btcpay.settle(purchase.providerPaymentId!);
      expect(delivery?.status).toBe(200);
    } else {
      const paid = await this.service.call('POST', `${new URL(purchase.checkoutUrl).pathname}/pay`, {
        raw: '',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(paid.status).toBe(200);
    }
  }
}

/** Paystack's charge.success for a transaction, as a hostile or test sender would write it. */
export function chargeSuccess(reference: string, overrides: Record<string, unknown> = {}) {
  return {
    event: 'charge.success',
    data: {
      id: 4_199_000_001,
      domain: 'test',
      status: 'success',
      reference,
      amount: 2500,
      currency: 'USD',
      gateway_response: 'Successful',
      paid_at: '2026-01-01T12:00:00.000Z',
      channel: 'card',
      ...overrides,
    },
  };
}

/** BTCPay's InvoiceSettled for an invoice, as BTCPay writes it (before signing). */
export function invoiceSettled(invoiceId: string, orderId: string, overrides: Record<string, unknown> = {}) {
  const deliveryId = randomUUID().replaceAll('-', '').slice(0, 22);
  return {
    deliveryId,
    webhookId: 'SuiteWebhook1',
    originalDeliveryId: deliveryId,
    isRedelivery: false,
    type: 'InvoiceSettled',
    timestamp: 1_767_268_800,
    storeId: BTCPAY_STORE,
    invoiceId,
    metadata: { orderId },
    manuallyMarked: false,
    overPaid: false,
    ...overrides,
  };
}
