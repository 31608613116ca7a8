import { SimServer } from './http.ts';
import { PaystackLedger } from './paystack-ledger.ts';
import type { PaystackRefund, PaystackTransaction } from './paystack-ledger.ts';
import { paystackHandler } from './paystack-api.ts';
import { refundEventView, transactionView } from './paystack-views.ts';
import { alphanumericId, hmacHex, jsonField, PendingWork, postWebhook, rawBodyOf, repeat } from './webhooks.ts';
import type { Delivery, RepeatOptions } from './webhooks.ts';

export type { PaystackRefund, PaystackTransaction } from './paystack-ledger.ts';
export type { Delivery } from './webhooks.ts';

export interface PaystackSimulatorOptions {
  secretKey: string;
  /** Where events go. Settable later (simulator.webhookUrl = …), as the server under test often starts after. */
  webhookUrl?: string;
  /** Currencies the "merchant" accepts; default NGN, USD, GHS, ZAR, KES. */
  currencies?: string[];
  /** Live Paystack answers an unknown verify with 400, its spec says 404; default 400. */
  verifyNotFoundStatus?: 400 | 404;
  /** Process each refund (and send refund.processed) right after POST /refund answers; default false. */
  autoProcessRefunds?: boolean;
  now?: () => Date;
}

export interface PayOptions {
  /** Forge the amount the charge.success event claims; verify still tells the truth. */
  amount?: number;
  /** Forge the currency the charge.success event claims; verify still tells the truth. */
  currency?: string;
  /** What was really charged, if not what was initialized: verify and the event both report it. */
  charged?: { amount?: number; currency?: string };
  /** Send charge.success; default true. */
  webhook?: boolean;
  /** Whether the card's authorization may be charged again later; default true. */
  reusable?: boolean;
}

export interface DeliverOptions extends RepeatOptions {
  /** Send this x-paystack-signature instead of the right one. */
  signature?: string;
}

/**
 * Paystack's transaction, refund and webhook contract, in memory, over real HTTP.
 * API: POST /transaction/initialize, GET /transaction/verify/:reference, POST /refund,
 * POST /transaction/charge_authorization (declines set with declineCharges).
 * Customer: GET /checkout/:access_code (Pay / Decline buttons).
 */
export class PaystackSimulator {
  webhookUrl: string | undefined;
  readonly #secretKey: string;
  readonly #ledger: PaystackLedger;
  readonly #server: SimServer;
  readonly #pending = new PendingWork();
  readonly #deliveries: Delivery[] = [];
  readonly #now: () => Date;
  /** Authorization codes whose charges are declined, with the reason. */
  readonly #declines = new Map<string, string>();

  constructor(options: PaystackSimulatorOptions) {
    this.webhookUrl = options.webhookUrl;
    this.#secretKey = options.secretKey;
    this.#now = options.now ?? (() => new Date());
    this.#ledger = new PaystackLedger(this.#now);
    this.#server = new SimServer(
      paystackHandler({
        secretKey: options.secretKey,
        ledger: this.#ledger,
        currencies: options.currencies ?? ['NGN', 'USD', 'GHS', 'ZAR', 'KES'],
        verifyNotFoundStatus: options.verifyNotFoundStatus ?? 400,
        refundQueued: (refund) => {
          if (options.autoProcessRefunds) {
            // After the response is written, as Paystack processes refunds out of band.
            this.#pending.track(
              new Promise((resolve) => setImmediate(resolve)).then(() => this.processRefund(refund.id)),
            );
          }
        },
        pay: async (transaction) => void (await this.pay(transaction.reference)),
        declineReason: (code) => this.#declines.get(code),
        charged: (transaction) => {
          // After the answer is written, as Paystack's own charge.success follows the API call.
          const send = () => this.#send({ event: 'charge.success', data: transactionView(transaction) });
          if (this.webhookUrl) this.#pending.track(new Promise((resolve) => setImmediate(resolve)).then(send));
        },
        decline: (transaction) => this.fail(transaction.reference),
      }),
    );
  }

  /** Starts on 127.0.0.1 and a free port; returns the base URL (use it as the API base). */
  start(): Promise<string> {
    return this.#server.start();
  }

  /** Waits for asynchronous webhooks, then closes the server. */
  async stop(): Promise<void> {
    try {
      await this.#pending.idle();
    } finally {
      await this.#server.stop();
    }
  }

  get url(): string {
    return this.#server.url;
  }

  /** The customer pays: the transaction succeeds and charge.success is sent (awaited). */
  async pay(reference: string, options: PayOptions = {}): Promise<Delivery | null> {
    if (options.webhook !== false && !this.webhookUrl) throw new Error('paystack simulator: webhookUrl is not set');
    const transaction = this.#open(reference);
    transaction.status = 'success';
    transaction.gatewayResponse = 'Successful';
    transaction.paidAt = this.#now();
    transaction.amount = options.charged?.amount ?? transaction.amount;
    transaction.currency = options.charged?.currency ?? transaction.currency;
    transaction.reusable = options.reusable ?? true;
    if (options.webhook === false) return null;
    const data = { ...transactionView(transaction) };
    if (options.amount !== undefined) data.amount = options.amount;
    if (options.currency !== undefined) data.currency = options.currency;
    return this.#send({ event: 'charge.success', data });
  }

  /** The charge is declined. Paystack sends no webhook for that; verify reports 'failed'. */
  fail(reference: string, gatewayResponse = 'Declined'): void {
    const transaction = this.#open(reference);
    transaction.status = 'failed';
    transaction.gatewayResponse = gatewayResponse;
  }

  /** From now on, charges of this authorization (charge_authorization) are declined with `reason`. */
  declineCharges(authorizationCode: string, reason = 'Insufficient Funds'): void {
    this.#declines.set(authorizationCode, reason);
  }

  /** Transactions made by charging a saved authorization, in order. */
  charges(): PaystackTransaction[] {
    return this.transactions().filter((t) => t.authorizationCode !== undefined);
  }

  /** Completes a queued refund and sends refund.processed. */
  processRefund(refundId: number): Promise<Delivery> {
    return this.#settleRefund(refundId, 'processed');
  }

  /** Fails a queued refund and sends refund.failed (the amount becomes refundable again). */
  failRefund(refundId: number): Promise<Delivery> {
    return this.#settleRefund(refundId, 'failed');
  }

  /**
   * Sends a webhook again, byte for byte (as Paystack's retries do), `times` times, one after
   * the other or concurrently. Target: a past delivery, a raw body, or an event object to sign.
   */
  deliver(target: Delivery | string | object, options: DeliverOptions = {}): Promise<Delivery[]> {
    const rawBody = rawBodyOf(target, (event) => JSON.stringify(event));
    const type = jsonField(rawBody, 'event');
    return repeat(() => this.#post(type, rawBody, options.signature), options);
  }

  /** x-paystack-signature for a body: hex HMAC-SHA512 of the exact bytes, keyed with the secret key. */
  sign(rawBody: string): string {
    return hmacHex('sha512', this.#secretKey, rawBody);
  }

  /** Copies of the transactions, in creation order. */
  transactions(): PaystackTransaction[] {
    return this.#ledger.transactions().map((t) => ({ ...t }));
  }

  transaction(reference: string): PaystackTransaction | undefined {
    const transaction = this.#ledger.byReference(reference);
    return transaction && { ...transaction };
  }

  refunds(): PaystackRefund[] {
    return this.#ledger.refunds().map((r) => ({ ...r }));
  }

  /** Every webhook POST so far, with the receiver's status. */
  deliveries(): Delivery[] {
    return [...this.#deliveries];
  }

  /** Resolves once asynchronous webhooks (auto-processed refunds) have been answered. */
  idle(): Promise<void> {
    return this.#pending.idle();
  }

  #open(reference: string): PaystackTransaction {
    const transaction = this.#ledger.byReference(reference);
    if (!transaction) throw new Error(`paystack simulator: no transaction ${reference}`);
    if (transaction.status !== 'abandoned') {
      throw new Error(`paystack simulator: transaction ${reference} is already ${transaction.status}`);
    }
    return transaction;
  }

  async #settleRefund(refundId: number, status: 'processed' | 'failed'): Promise<Delivery> {
    const refund = this.#ledger.refund(refundId);
    if (!refund) throw new Error(`paystack simulator: no refund ${refundId}`);
    if (refund.status !== 'pending') {
      throw new Error(`paystack simulator: refund ${refundId} is already ${refund.status}`);
    }
    refund.status = status;
    if (status === 'processed') refund.refundReference = alphanumericId(12).toUpperCase();
    const transaction = this.#ledger.byReference(refund.transactionReference);
    if (!transaction) throw new Error(`paystack simulator: refund ${refundId} lost its transaction`);
    return this.#send({ event: `refund.${status}`, data: refundEventView(refund, transaction) });
  }

  #send(event: { event: string; data: object }): Promise<Delivery> {
    return this.#post(event.event, JSON.stringify(event));
  }

  async #post(type: string, rawBody: string, signature = this.sign(rawBody)): Promise<Delivery> {
    if (!this.webhookUrl) throw new Error('paystack simulator: webhookUrl is not set');
    const delivery = await postWebhook(this.webhookUrl, type, rawBody, {
      'content-type': 'application/json',
      'x-paystack-signature': signature,
    });
    this.#deliveries.push(delivery);
    return delivery;
  }
}
