import { base58Id } from './webhooks.ts';

export type InvoiceStatus = 'New' | 'Processing' | 'Settled' | 'Expired' | 'Invalid';
export type AdditionalStatus = 'None' | 'PaidLate' | 'PaidPartial' | 'Marked' | 'Invalid' | 'PaidOver';

export interface BtcpayInvoice {
  id: string;
  storeId: string;
  type: 'Standard' | 'TopUp';
  /** A decimal string, as BTCPay serializes it: "25.00" stays "25.00", 25 becomes "25". */
  amount: string;
  paidAmount: string;
  currency: string;
  status: InvoiceStatus;
  additionalStatus: AdditionalStatus;
  /** Unix seconds, as in the API. */
  createdTime: number;
  expirationTime: number;
  monitoringExpiration: number;
  metadata: Record<string, unknown>;
  checkout: Record<string, unknown>;
}

export interface NewInvoice {
  storeId: string;
  amount: string | null;
  currency: string;
  metadata: Record<string, unknown>;
  checkout: Record<string, unknown>;
  expirationMinutes: number;
  monitoringMinutes: number;
}

/** Which statuses each test control may move an invoice from (BTCPay's invoice state machine, simplified). */
export const TRANSITIONS: Record<'process' | 'settle' | 'expire' | 'invalidate', readonly InvoiceStatus[]> = {
  process: ['New'],
  // Settling an expired invoice is a late payment (additionalStatus PaidLate).
  settle: ['New', 'Processing', 'Expired'],
  expire: ['New'],
  // Processing fails to confirm; anything else is marked invalid by hand.
  invalidate: ['New', 'Processing', 'Expired', 'Settled'],
};

/** In-memory invoices. No HTTP here. */
export class BtcpayLedger {
  readonly #invoices = new Map<string, BtcpayInvoice>();
  readonly #now: () => Date;

  constructor(now: () => Date) {
    this.#now = now;
  }

  create(input: NewInvoice): BtcpayInvoice {
    const created = Math.floor(this.#now().getTime() / 1000);
    const expiration = created + Math.round(input.expirationMinutes * 60);
    const invoice: BtcpayInvoice = {
      id: base58Id(),
      storeId: input.storeId,
      // No amount makes a top-up invoice: the buyer pays what they like.
      type: input.amount === null ? 'TopUp' : 'Standard',
      amount: input.amount ?? '0',
      paidAmount: '0',
      currency: input.currency,
      status: 'New',
      additionalStatus: 'None',
      createdTime: created,
      expirationTime: expiration,
      monitoringExpiration: expiration + Math.round(input.monitoringMinutes * 60),
      metadata: input.metadata,
      checkout: input.checkout,
    };
    this.#invoices.set(invoice.id, invoice);
    return invoice;
  }

  get(id: string): BtcpayInvoice | undefined {
    return this.#invoices.get(id);
  }

  all(): BtcpayInvoice[] {
    return [...this.#invoices.values()];
  }
}
