import type { PaystackRefund, PaystackTransaction } from './paystack-ledger.ts';

// The JSON shapes Paystack documents for a transaction and a refund. Field names are
// snake_case except where Paystack itself duplicates them in camelCase (paidAt, createdAt).

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}

function customer(transaction: PaystackTransaction) {
  return {
    id: transaction.customerId,
    first_name: null,
    last_name: null,
    email: transaction.email,
    customer_code: `CUS_${transaction.customerId.toString(36)}`,
    phone: null,
    metadata: null,
    risk_action: 'default',
  };
}

/** The card authorization a successful payment leaves: its own, or the one a charge reused. */
export function authorizationCodeOf(transaction: PaystackTransaction): string {
  return transaction.authorizationCode ?? `AUTH_${transaction.id.toString(36)}`;
}

/** `data` of GET /transaction/verify and of the charge.success event (Paystack sends the same resource). */
export function transactionView(transaction: PaystackTransaction) {
  const paid = transaction.status === 'success';
  return {
    id: transaction.id,
    domain: 'test',
    status: transaction.status,
    reference: transaction.reference,
    amount: transaction.amount,
    requested_amount: transaction.requestedAmount,
    message: null,
    gateway_response: transaction.gatewayResponse,
    paid_at: iso(transaction.paidAt),
    paidAt: iso(transaction.paidAt),
    created_at: transaction.createdAt.toISOString(),
    createdAt: transaction.createdAt.toISOString(),
    channel: 'card',
    currency: transaction.currency,
    ip_address: null,
    metadata: transaction.metadata,
    fees: paid ? Math.min(Math.round(transaction.amount * 0.015), 200_000) : null,
    authorization: paid
      ? {
          authorization_code: authorizationCodeOf(transaction),
          bin: '408408',
          last4: '4081',
          exp_month: '12',
          exp_year: '2030',
          channel: 'card',
          card_type: 'visa',
          bank: 'TEST BANK',
          country_code: 'NG',
          brand: 'visa',
          reusable: transaction.reusable,
          signature: `SIG_${authorizationCodeOf(transaction).slice(5)}`,
        }
      : {},
    customer: customer(transaction),
    plan: null,
  };
}

/** `data` of POST /refund: the refund, with the transaction it belongs to. */
export function refundView(refund: PaystackRefund, transaction: PaystackTransaction) {
  return {
    transaction: {
      id: transaction.id,
      domain: 'test',
      reference: transaction.reference,
      amount: transaction.amount,
      paid_at: iso(transaction.paidAt),
      channel: 'card',
      currency: transaction.currency,
    },
    integration: 100_001,
    deducted_amount: 0,
    channel: null,
    merchant_note: null,
    customer_note: null,
    status: refund.status,
    refunded_by: 'simulator@example.test',
    expected_at: new Date(refund.createdAt.getTime() + 10 * 86_400_000).toISOString(),
    currency: refund.currency,
    domain: 'test',
    amount: refund.amount,
    fully_deducted: false,
    id: refund.id,
    createdAt: refund.createdAt.toISOString(),
    updatedAt: refund.createdAt.toISOString(),
  };
}

/** `data` of the refund.processed / refund.failed events. */
export function refundEventView(refund: PaystackRefund, transaction: PaystackTransaction) {
  return {
    status: refund.status,
    transaction_reference: transaction.reference,
    refund_reference: refund.refundReference,
    amount: refund.amount,
    currency: refund.currency,
    processor: 'simulator',
    customer: { first_name: null, last_name: null, email: transaction.email },
    integration: 100_001,
    domain: 'test',
    id: String(refund.id),
  };
}
