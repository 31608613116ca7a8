import { btcpayHandler } from './btcpay-api.ts';
import { BtcpayLedger, TRANSITIONS } from './btcpay-ledger.ts';
import type { BtcpayRefund } from './btcpay-refunds.ts';
import type { BtcpayInvoice } from './btcpay-ledger.ts';
import { webhookBody } from './btcpay-views.ts';
import { SimServer } from './http.ts';
import { base58Id, hmacHex, jsonField, postWebhook, rawBodyOf, repeat } from './webhooks.ts';
import type { Delivery, RepeatOptions } from './webhooks.ts';

export type { AdditionalStatus, BtcpayInvoice, InvoiceStatus } from './btcpay-ledger.ts';
export type { BtcpayRefund } from './btcpay-refunds.ts';
export type { Delivery } from './webhooks.ts';

export interface BtcpaySimulatorOptions {
  apiKey: string;
  storeId: string;
  webhookSecret: string;
  /** Where events go. Settable later (simulator.webhookUrl = …), as the server under test often starts after. */
  webhookUrl?: string;
  /** The store's default currency, used when an invoice names none; default USD. */
  defaultCurrency?: string;
  now?: () => Date;
}

/** Changes to an invoice behind our server's back (what a later GET will show). */
export interface InvoicePatch {
  amount?: string;
  currency?: string;
  metadata?: Record<string, unknown>;
}

export interface TransitionOptions extends InvoicePatch {
  /** Send the event; default true. */
  webhook?: boolean;
  /** Settled/Invalid by an admin rather than by the chain: additionalStatus Marked. */
  manuallyMarked?: boolean;
}

export interface DeliverOptions extends RepeatOptions {
  /** Send this BTCPay-Sig instead of the right one. */
  signature?: string;
}

type Control = keyof typeof TRANSITIONS;

/**
 * BTCPay Server's Greenfield invoice API and its store webhook, in memory, over real HTTP.
 * API: POST /api/v1/stores/:storeId/invoices, GET /api/v1/stores/:storeId/invoices/:id,
 * POST /api/v1/stores/:storeId/invoices/:id/refund (a pull payment for the buyer to claim).
 * Customer: GET /i/:id (the checkoutLink).
 */
export class BtcpaySimulator {
  webhookUrl: string | undefined;
  /** The id of the store webhook every event carries. */
  readonly webhookId = base58Id();
  readonly #secret: string;
  readonly #ledger: BtcpayLedger;
  readonly #server: SimServer;
  readonly #deliveries: Delivery[] = [];
  readonly #refunds: BtcpayRefund[] = [];
  readonly #now: () => Date;

  constructor(options: BtcpaySimulatorOptions) {
    this.webhookUrl = options.webhookUrl;
    this.#secret = options.webhookSecret;
    this.#now = options.now ?? (() => new Date());
    this.#ledger = new BtcpayLedger(this.#now);
    this.#server = new SimServer(
      btcpayHandler({
        apiKey: options.apiKey,
        storeId: options.storeId,
        defaultCurrency: options.defaultCurrency ?? 'USD',
        ledger: this.#ledger,
        refunds: this.#refunds,
        now: this.#now,
      }),
    );
  }

  /** Starts on 127.0.0.1 and a free port; returns the base URL (the Greenfield API root). */
  start(): Promise<string> {
    return this.#server.start();
  }

  stop(): Promise<void> {
    return this.#server.stop();
  }

  get url(): string {
    return this.#server.url;
  }

  /** Paid in full, waiting for confirmations: Processing, InvoiceProcessing. */
  process(invoiceId: string, options: TransitionOptions = {}): Promise<Delivery | null> {
    return this.#transition('process', invoiceId, options, (invoice) => {
      invoice.status = 'Processing';
      invoice.paidAmount = invoice.amount;
      return { type: 'InvoiceProcessing', extra: { overPaid: false } };
    });
  }

  /** Confirmed (or marked paid): Settled, InvoiceSettled. From Expired it is a late payment. */
  settle(invoiceId: string, options: TransitionOptions = {}): Promise<Delivery | null> {
    return this.#transition('settle', invoiceId, options, (invoice) => {
      const manuallyMarked = options.manuallyMarked ?? false;
      invoice.additionalStatus = manuallyMarked ? 'Marked' : invoice.status === 'Expired' ? 'PaidLate' : 'None';
      invoice.status = 'Settled';
      invoice.paidAmount = invoice.amount;
      return { type: 'InvoiceSettled', extra: { manuallyMarked, overPaid: false } };
    });
  }

  /** Not paid in time: Expired, InvoiceExpired. */
  expire(invoiceId: string, options: TransitionOptions = {}): Promise<Delivery | null> {
    return this.#transition('expire', invoiceId, options, (invoice) => {
      invoice.status = 'Expired';
      return { type: 'InvoiceExpired', extra: { partiallyPaid: false } };
    });
  }

  /** Failed to confirm (from Processing) or marked invalid by hand (otherwise): Invalid, InvoiceInvalid. */
  invalidate(invoiceId: string, options: TransitionOptions = {}): Promise<Delivery | null> {
    return this.#transition('invalidate', invoiceId, options, (invoice) => {
      const manuallyMarked = options.manuallyMarked ?? invoice.status !== 'Processing';
      if (manuallyMarked) invoice.additionalStatus = 'Marked';
      invoice.status = 'Invalid';
      return { type: 'InvoiceInvalid', extra: { manuallyMarked } };
    });
  }

  /** Changes an invoice without any event, e.g. its amount, before our server fetches it. */
  tamper(invoiceId: string, patch: InvoicePatch): void {
    const invoice = this.#invoice(invoiceId);
    if (patch.amount !== undefined) invoice.amount = patch.amount;
    if (patch.currency !== undefined) invoice.currency = patch.currency;
    if (patch.metadata !== undefined) invoice.metadata = patch.metadata;
  }

  /**
   * BTCPay's redelivery (the "Redeliver" button, and its automatic retries): the same event
   * with a new deliveryId, isRedelivery true, originalDeliveryId kept; re-signed.
   */
  redeliver(target: Delivery | string, options: DeliverOptions = {}): Promise<Delivery[]> {
    const rawBody = typeof target === 'string' ? target : target.rawBody;
    const event = JSON.parse(rawBody) as Record<string, unknown>;
    const type = jsonField(rawBody, 'type');
    return repeat(() => {
      const again = {
        ...event,
        deliveryId: base58Id(),
        originalDeliveryId: event.originalDeliveryId ?? event.deliveryId,
        isRedelivery: true,
      };
      return this.#post(type, JSON.stringify(again, null, 2), options.signature);
    }, options);
  }

  /** Sends a body again byte for byte (a replay, or a duplicated request): same deliveryId. */
  deliver(target: Delivery | string | object, options: DeliverOptions = {}): Promise<Delivery[]> {
    const rawBody = rawBodyOf(target, (event) => JSON.stringify(event, null, 2));
    const type = jsonField(rawBody, 'type');
    return repeat(() => this.#post(type, rawBody, options.signature), options);
  }

  /** The BTCPay-Sig header value for a body: "sha256=" + hex HMAC-SHA256 of the exact bytes. */
  sign(rawBody: string): string {
    return `sha256=${hmacHex('sha256', this.#secret, rawBody)}`;
  }

  /** Copies of the invoices, in creation order. */
  invoices(): BtcpayInvoice[] {
    return this.#ledger.all().map((invoice) => structuredClone(invoice));
  }

  invoice(invoiceId: string): BtcpayInvoice | undefined {
    const invoice = this.#ledger.get(invoiceId);
    return invoice && structuredClone(invoice);
  }

  /** Every webhook POST so far, with the receiver's status. */
  deliveries(): Delivery[] {
    return [...this.#deliveries];
  }

  /** Invoice refunds made through the API, oldest first. */
  refunds(): BtcpayRefund[] {
    return this.#refunds.map((r) => ({ ...r }));
  }

  async #transition(
    control: Control,
    invoiceId: string,
    options: TransitionOptions,
    apply: (invoice: BtcpayInvoice) => { type: string; extra: Record<string, unknown> },
  ): Promise<Delivery | null> {
    const invoice = this.#invoice(invoiceId);
    if (!TRANSITIONS[control].includes(invoice.status)) {
      throw new Error(`btcpay simulator: cannot ${control} invoice ${invoiceId}, it is ${invoice.status}`);
    }
    if (options.webhook !== false && !this.webhookUrl) throw new Error('btcpay simulator: webhookUrl is not set');
    this.tamper(invoiceId, options);
    const { type, extra } = apply(invoice);
    if (options.webhook === false) return null;
    const deliveryId = base58Id();
    const envelope = {
      deliveryId,
      webhookId: this.webhookId,
      originalDeliveryId: deliveryId,
      isRedelivery: false,
      type,
      timestamp: Math.floor(this.#now().getTime() / 1000),
    };
    return this.#post(type, webhookBody(envelope, invoice, extra));
  }

  #invoice(invoiceId: string): BtcpayInvoice {
    const invoice = this.#ledger.get(invoiceId);
    if (!invoice) throw new Error(`btcpay simulator: no invoice ${invoiceId}`);
    return invoice;
  }

  async #post(type: string, rawBody: string, signature = this.sign(rawBody)): Promise<Delivery> {
    if (!this.webhookUrl) throw new Error('btcpay simulator: webhookUrl is not set');
    const delivery = await postWebhook(this.webhookUrl, type, rawBody, {
      'content-type': 'application/json',
      'btcpay-sig': signature,
    });
    this.#deliveries.push(delivery);
    return delivery;
  }
}
