import { alphanumericId } from './webhooks.ts';

/** Paystack's statuses that this simulator produces (the API has more: ongoing, pending, reversed…). */
export type PaystackStatus = 'abandoned' | 'success' | 'failed';

export interface PaystackTransaction {
  id: number;
  reference: string;
  accessCode: string;
  email: string;
  /** Subunits (kobo, cents), as initialized. */
  requestedAmount: number;
  /** Subunits actually charged: the requested amount unless a test says otherwise. */
  amount: number;
  currency: string;
  callbackUrl: string | null;
  /** As sent; a JSON string is stored parsed, as Paystack does. '' when none was sent. */
  metadata: unknown;
  status: PaystackStatus;
  gatewayResponse: string;
  createdAt: Date;
  paidAt: Date | null;
  customerId: number;
  /** Whether the card's authorization may be charged again (charge_authorization); default true. */
  reusable: boolean;
  /** Set on a charge of an earlier authorization: that authorization, not a new one. */
  authorizationCode?: string;
}

export type RefundStatus = 'pending' | 'processed' | 'failed';

export interface PaystackRefund {
  id: number;
  transactionId: number;
  transactionReference: string;
  amount: number;
  currency: string;
  status: RefundStatus;
  /** Set when processed: the processor's reference for the refund. */
  refundReference: string | null;
  createdAt: Date;
}

export interface NewTransaction {
  email: string;
  amount: number;
  currency: string;
  reference: string | undefined;
  callbackUrl: string | null;
  metadata: unknown;
}

/** The simulator's in-memory state: transactions by reference, refunds by id. No HTTP here. */
export class PaystackLedger {
  readonly #transactions = new Map<string, PaystackTransaction>();
  readonly #refunds = new Map<number, PaystackRefund>();
  readonly #customers = new Map<string, number>();
  // Paystack ids are large integers; starting high catches code that assumes small ones.
  #nextId = 4_100_000_001;
  readonly #now: () => Date;

  constructor(now: () => Date) {
    this.#now = now;
  }

  /** Returns null when the reference is taken. */
  initialize(input: NewTransaction): PaystackTransaction | null {
    const reference = input.reference ?? alphanumericId(10);
    if (this.#transactions.has(reference)) return null;
    let customerId = this.#customers.get(input.email);
    if (customerId === undefined) {
      customerId = this.#id();
      this.#customers.set(input.email, customerId);
    }
    const transaction: PaystackTransaction = {
      id: this.#id(),
      reference,
      accessCode: alphanumericId(15),
      email: input.email,
      requestedAmount: input.amount,
      amount: input.amount,
      currency: input.currency,
      callbackUrl: input.callbackUrl,
      metadata: input.metadata,
      status: 'abandoned',
      gatewayResponse: 'The transaction was not completed',
      createdAt: this.#now(),
      paidAt: null,
      customerId,
      reusable: true,
    };
    this.#transactions.set(reference, transaction);
    return transaction;
  }

  byReference(reference: string): PaystackTransaction | undefined {
    return this.#transactions.get(reference);
  }

  byAccessCode(accessCode: string): PaystackTransaction | undefined {
    return [...this.#transactions.values()].find((t) => t.accessCode === accessCode);
  }

  /** The successful card payment an authorization code came from. */
  byAuthorization(code: string): PaystackTransaction | undefined {
    return [...this.#transactions.values()].find(
      (t) => t.status === 'success' && !t.authorizationCode && `AUTH_${t.id.toString(36)}` === code,
    );
  }

  /** The refund endpoint takes either the reference or the numeric id. */
  byReferenceOrId(key: string): PaystackTransaction | undefined {
    return this.byReference(key) ?? [...this.#transactions.values()].find((t) => String(t.id) === key);
  }

  /** Subunits refunded or queued for refund (failed refunds give the money back). */
  refunded(transaction: PaystackTransaction): number {
    let total = 0;
    for (const refund of this.#refunds.values()) {
      if (refund.transactionId === transaction.id && refund.status !== 'failed') total += refund.amount;
    }
    return total;
  }

  addRefund(transaction: PaystackTransaction, amount: number): PaystackRefund {
    const refund: PaystackRefund = {
      id: this.#id(),
      transactionId: transaction.id,
      transactionReference: transaction.reference,
      amount,
      currency: transaction.currency,
      status: 'pending',
      refundReference: null,
      createdAt: this.#now(),
    };
    this.#refunds.set(refund.id, refund);
    return refund;
  }

  refund(id: number): PaystackRefund | undefined {
    return this.#refunds.get(id);
  }

  transactions(): PaystackTransaction[] {
    return [...this.#transactions.values()];
  }

  refunds(): PaystackRefund[] {
    return [...this.#refunds.values()];
  }

  #id(): number {
    return this.#nextId++;
  }
}
