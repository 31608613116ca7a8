import { escapeHtml, matchPath, parseObject } from './http.ts';
import type { Handler, SimRequest, SimResponse } from './http.ts';
import type { BtcpayLedger, NewInvoice } from './btcpay-ledger.ts';
import { invoiceView } from './btcpay-views.ts';
import { pullPaymentView, refundInvoice, type BtcpayRefund } from './btcpay-refunds.ts';

export interface BtcpayApiContext {
  apiKey: string;
  storeId: string;
  defaultCurrency: string;
  ledger: BtcpayLedger;
  /** Invoice refunds (pull payments) created so far, oldest first. */
  refunds: BtcpayRefund[];
  now: () => Date;
}

const apiError = (status: number, code: string, message: string): SimResponse => ({
  status,
  json: { code, message },
});

/** Greenfield's model-validation answer: 422 with a list of {path, message}. */
const invalid = (path: string, message: string): SimResponse => ({ status: 422, json: [{ path, message }] });

/** Decimal string as BTCPay keeps it (a C# decimal keeps its scale: "25.00" stays "25.00"). */
export function parseDecimal(value: unknown): string | null {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string' || !/^-?\d+(\.\d+)?$/.test(text.trim())) return null;
  return text.trim();
}

type Read = { invoice: NewInvoice } | { refused: SimResponse };

function readInvoiceRequest(context: BtcpayApiContext, rawBody: string): Read {
  const body = parseObject(rawBody);
  if (!body) return { refused: invalid('', 'The request body must be a JSON object') };
  let amount: string | null = null;
  if (body.amount !== undefined && body.amount !== null) {
    amount = parseDecimal(body.amount);
    if (amount === null) {
      return { refused: invalid('amount', `Could not convert ${JSON.stringify(body.amount)} to decimal`) };
    }
    if (Number(amount) < 0) return { refused: invalid('amount', 'The amount should be 0 or more.') };
  }
  const currency = body.currency ?? context.defaultCurrency;
  if (typeof currency !== 'string' || !/^[A-Za-z0-9]{3,10}$/.test(currency)) {
    return { refused: invalid('currency', 'Invalid currency') };
  }
  const metadata = body.metadata ?? {};
  if (typeof metadata !== 'object' || Array.isArray(metadata)) {
    return { refused: invalid('metadata', 'metadata must be an object') };
  }
  const checkout = body.checkout ?? {};
  if (typeof checkout !== 'object' || Array.isArray(checkout)) {
    return { refused: invalid('checkout', 'checkout must be an object') };
  }
  const { expirationMinutes = 15, monitoringMinutes = 1440, ...rest } = checkout as Record<string, unknown>;
  if (typeof expirationMinutes !== 'number' || expirationMinutes < 0.5) {
    return { refused: invalid('checkout.expirationMinutes', 'Expiration time must be at least 30 seconds') };
  }
  if (typeof monitoringMinutes !== 'number' || monitoringMinutes < 0) {
    return { refused: invalid('checkout.monitoringMinutes', 'monitoringMinutes must be 0 or more') };
  }
  return {
    invoice: {
      storeId: context.storeId,
      amount,
      currency: currency.toUpperCase(),
      metadata: metadata as Record<string, unknown>,
      checkout: rest,
      expirationMinutes,
      monitoringMinutes,
    },
  };
}

function checkoutPage(context: BtcpayApiContext, invoiceId: string): SimResponse {
  const invoice = context.ledger.get(invoiceId);
  if (!invoice) return { status: 404, html: '<p>Invoice not found</p>' };
  return {
    status: 200,
    html: `<!doctype html><title>BTCPay checkout (simulator)</title>
<h1>Pay ${escapeHtml(invoice.amount)} ${escapeHtml(invoice.currency)}</h1>
<p>Invoice <code>${escapeHtml(invoice.id)}</code> · ${invoice.status}</p>`,
  };
}

export function btcpayHandler(context: BtcpayApiContext): Handler {
  return (request: SimRequest, baseUrl: string) => {
    const page = matchPath('/i/:invoiceId', request.path);
    if (page?.invoiceId && request.method === 'GET') return checkoutPage(context, page.invoiceId);

    // Greenfield API keys travel as "Authorization: token <key>".
    const auth = /^token\s+(.+)$/i.exec(request.headers.authorization ?? '');
    if (auth?.[1] !== context.apiKey) {
      return apiError(401, 'unauthenticated', 'Authentication is required for accessing this endpoint');
    }

    const list = matchPath('/api/v1/stores/:storeId/invoices', request.path);
    const one = matchPath('/api/v1/stores/:storeId/invoices/:invoiceId', request.path);
    const refund = matchPath('/api/v1/stores/:storeId/invoices/:invoiceId/refund', request.path);
    const storeId = list?.storeId ?? one?.storeId ?? refund?.storeId;
    if (storeId === undefined) return apiError(404, 'not-found', 'Not found');
    if (storeId !== context.storeId) return apiError(404, 'store-not-found', 'The store was not found');

    if (list && request.method === 'POST') {
      const read = readInvoiceRequest(context, request.rawBody);
      if ('refused' in read) return read.refused;
      return { status: 200, json: invoiceView(context.ledger.create(read.invoice), baseUrl) };
    }
    if (one?.invoiceId && request.method === 'GET') {
      const invoice = context.ledger.get(one.invoiceId);
      if (!invoice) return apiError(404, 'invoice-not-found', 'The invoice was not found');
      return { status: 200, json: invoiceView(invoice, baseUrl) };
    }
    if (refund?.invoiceId && request.method === 'POST') {
      const invoice = context.ledger.get(refund.invoiceId);
      if (!invoice) return apiError(404, 'invoice-not-found', 'The invoice was not found');
      const made = refundInvoice(invoice, request.rawBody, context.now());
      if ('refused' in made) return made.refused;
      context.refunds.push(made.refund);
      return { status: 200, json: pullPaymentView(made.refund, baseUrl) };
    }
    return apiError(405, 'method-not-allowed', 'Method not allowed');
  };
}
