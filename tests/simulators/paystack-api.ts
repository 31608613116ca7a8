import { escapeHtml, matchPath, parseObject } from './http.ts';
import type { Handler, SimRequest, SimResponse } from './http.ts';
import type { PaystackLedger, PaystackRefund, PaystackTransaction } from './paystack-ledger.ts';
import { refundView, transactionView } from './paystack-views.ts';
import { chargeAuthorization, type ChargeContext } from './paystack-charges.ts';

/** What the HTTP side needs from the simulator. */
export interface PaystackApiContext extends Omit<ChargeContext, 'ledger' | 'currencies'> {
  secretKey: string;
  ledger: PaystackLedger;
  currencies: readonly string[];
  verifyNotFoundStatus: number;
  /** A refund was queued; the simulator decides when it is processed. */
  refundQueued(refund: PaystackRefund): void;
  /** The checkout page's Pay button. */
  pay(transaction: PaystackTransaction): Promise<void>;
  /** The checkout page's Decline button. */
  decline(transaction: PaystackTransaction): void;
}

const REFERENCE = /^[A-Za-z0-9.=-]+$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const refuse = (status: number, message: string): SimResponse => ({ status, json: { status: false, message } });

/** Paystack sends amounts in subunits as integers, and accepts them as digit strings too. */
export function parseSubunits(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : null;
  if (typeof value === 'string' && /^\d+$/.test(value)) {
    const amount = Number(value);
    return Number.isSafeInteger(amount) && amount > 0 ? amount : null;
  }
  return null;
}

/** Paystack documents metadata as "stringified JSON"; it stores and returns it as an object. */
function parseMetadata(value: unknown): unknown {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function initialize(context: PaystackApiContext, request: SimRequest, baseUrl: string): SimResponse {
  const body = parseObject(request.rawBody);
  if (!body) return refuse(400, 'Invalid request body');
  if (typeof body.email !== 'string' || !EMAIL.test(body.email)) return refuse(400, 'Invalid Email Address Passed');
  const amount = parseSubunits(body.amount);
  if (amount === null) return refuse(400, 'Invalid Amount Sent');
  const currency = body.currency === undefined ? 'NGN' : body.currency;
  if (typeof currency !== 'string' || !context.currencies.includes(currency)) {
    return refuse(400, 'Currency not supported by merchant');
  }
  const reference = body.reference;
  if (reference !== undefined && (typeof reference !== 'string' || !REFERENCE.test(reference))) {
    return refuse(400, "Invalid reference: only alphanumeric characters and '-', '.', '=' are allowed");
  }
  const callbackUrl = typeof body.callback_url === 'string' ? body.callback_url : null;
  const transaction = context.ledger.initialize({
    email: body.email,
    amount,
    currency,
    reference,
    callbackUrl,
    metadata: parseMetadata(body.metadata),
  });
  if (!transaction) return refuse(400, 'Duplicate Transaction Reference');
  return {
    status: 200,
    json: {
      status: true,
      message: 'Authorization URL created',
      data: {
        authorization_url: `${baseUrl}/checkout/${transaction.accessCode}`,
        access_code: transaction.accessCode,
        reference: transaction.reference,
      },
    },
  };
}

function verify(context: PaystackApiContext, reference: string): SimResponse {
  const transaction = context.ledger.byReference(reference);
  if (!transaction) return refuse(context.verifyNotFoundStatus, 'Transaction reference not found');
  // status:true means "the lookup worked", not "the payment succeeded": data.status says that.
  return {
    status: 200,
    json: { status: true, message: 'Verification successful', data: transactionView(transaction) },
  };
}

function refund(context: PaystackApiContext, request: SimRequest): SimResponse {
  const body = parseObject(request.rawBody);
  if (!body) return refuse(400, 'Invalid request body');
  const key = typeof body.transaction === 'number' ? String(body.transaction) : body.transaction;
  if (typeof key !== 'string' || !key) return refuse(400, 'Transaction is required');
  const transaction = context.ledger.byReferenceOrId(key);
  if (!transaction) return refuse(404, 'Transaction not found');
  if (transaction.status !== 'success') return refuse(400, 'Cannot refund a transaction that was not successful');
  if (body.currency !== undefined && body.currency !== transaction.currency) {
    return refuse(400, 'Refund currency must match the transaction currency');
  }
  const left = transaction.amount - context.ledger.refunded(transaction);
  const amount = body.amount === undefined ? left : parseSubunits(body.amount);
  if (amount === null || amount <= 0) return refuse(400, 'Invalid Amount Sent');
  if (amount > left) return refuse(400, 'Refund amount cannot be more than the unrefunded transaction amount');
  const queued = context.ledger.addRefund(transaction, amount);
  context.refundQueued(queued);
  return {
    status: 200,
    json: { status: true, message: 'Refund has been queued for processing', data: refundView(queued, transaction) },
  };
}

function checkoutPage(transaction: PaystackTransaction): SimResponse {
  const code = escapeHtml(transaction.accessCode);
  const amount = `${escapeHtml(transaction.currency)} ${(transaction.requestedAmount / 100).toFixed(2)}`;
  return {
    status: 200,
    html: `<!doctype html><title>Paystack checkout (simulator)</title>
<h1>Pay ${amount}</h1>
<p>${escapeHtml(transaction.email)} · reference <code>${escapeHtml(transaction.reference)}</code> · status ${transaction.status}</p>
<form method="post" action="/checkout/${code}/pay"><button>Pay</button></form>
<form method="post" action="/checkout/${code}/decline"><button>Decline</button></form>`,
  };
}

/** Paystack sends the customer back to callback_url with ?trxref=REF&reference=REF. */
function callbackRedirect(transaction: PaystackTransaction, message: string): SimResponse {
  if (!transaction.callbackUrl) return { status: 200, html: `<p>${escapeHtml(message)}</p>` };
  const url = new URL(transaction.callbackUrl);
  url.searchParams.set('trxref', transaction.reference);
  url.searchParams.set('reference', transaction.reference);
  return { status: 302, location: url.toString() };
}

async function checkout(context: PaystackApiContext, request: SimRequest): Promise<SimResponse | null> {
  const page = matchPath('/checkout/:code', request.path);
  const action = matchPath('/checkout/:code/:action', request.path);
  const code = page?.code ?? action?.code;
  if (!code) return null;
  const transaction = context.ledger.byAccessCode(code);
  if (!transaction) return { status: 404, html: '<p>This payment link is invalid.</p>' };
  if (page && request.method === 'GET') return checkoutPage(transaction);
  if (request.method !== 'POST' || transaction.status !== 'abandoned') return checkoutPage(transaction);
  if (action?.action === 'pay') {
    await context.pay(transaction);
    return callbackRedirect(transaction, 'Payment successful');
  }
  if (action?.action === 'decline') {
    context.decline(transaction);
    return { status: 200, html: '<p>Your card was declined.</p>' };
  }
  return null;
}

export function paystackHandler(context: PaystackApiContext): Handler {
  return async (request, baseUrl) => {
    if (request.path.startsWith('/checkout/')) {
      return (await checkout(context, request)) ?? { status: 404, json: { status: false, message: 'Not found' } };
    }
    // Every API call carries the secret key as a bearer token.
    const auth = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '');
    if (auth?.[1] !== context.secretKey) return refuse(401, 'Invalid key');

    if (request.method === 'POST' && request.path === '/transaction/initialize') {
      return initialize(context, request, baseUrl);
    }
    const verifying = matchPath('/transaction/verify/:reference', request.path);
    if (request.method === 'GET' && verifying?.reference) return verify(context, verifying.reference);
    if (request.method === 'POST' && request.path === '/refund') return refund(context, request);
    if (request.method === 'POST' && request.path === '/transaction/charge_authorization') {
      return chargeAuthorization(context, request);
    }
    return refuse(404, 'Not found');
  };
}
