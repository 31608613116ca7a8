import type { SimResponse, SimRequest } from './http.ts';
import { parseObject } from './http.ts';
import type { PaystackLedger, PaystackTransaction } from './paystack-ledger.ts';
import { parseSubunits } from './paystack-api.ts';
import { authorizationCodeOf, transactionView } from './paystack-views.ts';

/** What the charge endpoint needs from the simulator. */
export interface ChargeContext {
  ledger: PaystackLedger;
  currencies: readonly string[];
  /** Why charges on this authorization are declined now (e.g. "Insufficient Funds"); undefined: approved. */
  declineReason(authorizationCode: string): string | undefined;
  /** A charge succeeded: charge.success goes out after the answer, as Paystack's does. */
  charged(transaction: PaystackTransaction): void;
}

const refuse = (status: number, message: string): SimResponse => ({ status, json: { status: false, message } });

/**
 * POST /transaction/charge_authorization: charges a reusable authorization from an
 * earlier successful card payment, for the email it belongs to. The answer is
 * 200 "Charge attempted" either way; `data.status` says success or failed.
 */
export function chargeAuthorization(context: ChargeContext, request: SimRequest): SimResponse {
  const body = parseObject(request.rawBody);
  if (!body) return refuse(400, 'Invalid request body');
  const code = body.authorization_code;
  if (typeof code !== 'string' || !code) return refuse(400, 'Authorization code is required');
  const origin = context.ledger.byAuthorization(code);
  if (!origin) return refuse(400, 'Invalid authorization code');
  if (!origin.reusable) return refuse(400, 'This authorization is not reusable');
  if (typeof body.email !== 'string' || body.email.toLowerCase() !== origin.email.toLowerCase()) {
    return refuse(400, 'Email does not match Authorization code');
  }
  const amount = parseSubunits(body.amount);
  if (amount === null) return refuse(400, 'Invalid Amount Sent');
  const currency = body.currency ?? origin.currency;
  if (typeof currency !== 'string' || !context.currencies.includes(currency)) {
    return refuse(400, 'Currency not supported by merchant');
  }
  const reference = typeof body.reference === 'string' ? body.reference : undefined;
  const transaction = context.ledger.initialize({
    email: origin.email,
    amount,
    currency,
    reference,
    callbackUrl: null,
    metadata: body.metadata ?? '',
  });
  if (!transaction) return refuse(400, 'Duplicate Transaction Reference');
  transaction.authorizationCode = authorizationCodeOf(origin);
  const declined = context.declineReason(code);
  transaction.status = declined ? 'failed' : 'success';
  transaction.gatewayResponse = declined ?? 'Approved';
  if (!declined) {
    transaction.paidAt = transaction.createdAt;
    context.charged(transaction);
  }
  return { status: 200, json: { status: true, message: 'Charge attempted', data: transactionView(transaction) } };
}
