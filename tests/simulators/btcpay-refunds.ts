import type { SimResponse } from './http.ts';
import { parseObject } from './http.ts';
import type { BtcpayInvoice } from './btcpay-ledger.ts';
import { parseDecimal } from './btcpay-api.ts';
import { base58Id } from './webhooks.ts';

export type RefundVariant = 'RateThen' | 'CurrentRate' | 'OverpaidAmount' | 'Fiat' | 'Custom';
const VARIANTS: readonly RefundVariant[] = ['RateThen', 'CurrentRate', 'OverpaidAmount', 'Fiat', 'Custom'];

/** What Greenfield's invoice refund creates: a pull payment the buyer claims with their own address. */
export interface BtcpayRefund {
  /** The pull payment's id. */
  id: string;
  invoiceId: string;
  name: string;
  description: string;
  paymentMethod: string;
  refundVariant: RefundVariant;
  /** What the pull payment is for: the invoice's fiat amount for Fiat, the custom amount for Custom. */
  amount: string;
  currency: string;
  createdTime: number;
}

const invalid = (path: string, message: string): SimResponse => ({ status: 422, json: [{ path, message }] });

/**
 * POST /api/v1/stores/{storeId}/invoices/{invoiceId}/refund: only a settled invoice,
 * a payment method and a refund variant (Custom with its amount and currency).
 */
export function refundInvoice(
  invoice: BtcpayInvoice,
  rawBody: string,
  now: Date,
): { refund: BtcpayRefund } | { refused: SimResponse } {
  const body = parseObject(rawBody);
  if (!body) return { refused: invalid('', 'The request body must be a JSON object') };
  if (invoice.status !== 'Settled') {
    return {
      refused: { status: 400, json: { code: 'non-refundable', message: 'Cannot refund this invoice' } },
    };
  }
  if (typeof body.paymentMethod !== 'string' || !body.paymentMethod) {
    return { refused: invalid('paymentMethod', 'Please select one of the payment methods which were available') };
  }
  const variant = body.refundVariant as RefundVariant;
  if (!VARIANTS.includes(variant)) return { refused: invalid('refundVariant', 'refundVariant is required') };
  let amount = invoice.amount;
  let currency = invoice.currency;
  if (variant === 'Custom') {
    const custom = parseDecimal(body.customAmount);
    if (custom === null || Number(custom) <= 0)
      return { refused: invalid('customAmount', 'Amount must be greater than 0') };
    if (typeof body.customCurrency !== 'string') return { refused: invalid('customCurrency', 'Invalid currency') };
    [amount, currency] = [custom, body.customCurrency.toUpperCase()];
  }
  return {
    refund: {
      id: base58Id(),
      invoiceId: invoice.id,
      name: typeof body.name === 'string' ? body.name : `Refund ${invoice.id}`,
      description: typeof body.description === 'string' ? body.description : '',
      paymentMethod: body.paymentMethod,
      refundVariant: variant,
      amount,
      currency,
      createdTime: Math.floor(now.getTime() / 1000),
    },
  };
}

/** The Greenfield PullPaymentData model the refund endpoint answers with. */
export function pullPaymentView(refund: BtcpayRefund, baseUrl: string) {
  return {
    id: refund.id,
    name: refund.name,
    description: refund.description,
    currency: refund.currency,
    amount: refund.amount,
    period: null,
    BOLT11Expiration: '30',
    autoApproveClaims: false,
    archived: false,
    viewLink: `${baseUrl}/pull-payments/${refund.id}`,
    startsAt: refund.createdTime,
    expiresAt: null,
  };
}
