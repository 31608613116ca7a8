import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import type { Payment } from './pending-payments.ts';
import {
  header,
  type AuthenticWebhook,
  type CheckoutContext,
  type PaymentProvider,
  type ProviderReport,
} from './provider.ts';
import { reusableCardOf } from './auto-topup/paystack-card.ts';
import { providerJson } from './provider-http.ts';
import { checkHmac, parseSignedJson } from './signatures.ts';

export interface PaystackConfig {
  baseUrl: string;
  secretKey: string;
}

const envelope = <T extends z.ZodType>(data: T) => z.object({ status: z.boolean(), message: z.string(), data });

const initialized = envelope(z.object({ authorization_url: z.string().url(), reference: z.string() }));
const transaction = z.object({
  id: z.union([z.number(), z.string()]).optional(),
  status: z.string(),
  reference: z.string(),
  amount: z.coerce.number(),
  currency: z.string(),
  authorization: z.unknown().optional(),
});
const verified = envelope(transaction);
const webhook = z.object({ event: z.string(), data: z.record(z.string(), z.unknown()) });

// Paystack's transaction states, reduced to ours.
function statusOf(paystackStatus: string): ProviderReport['status'] {
  if (paystackStatus === 'success') return 'paid';
  if (['failed', 'abandoned', 'reversed'].includes(paystackStatus)) return 'failed';
  return 'pending';
}

/** Cards through Paystack: initialize → hosted checkout → charge.success webhook or verify. */
export function paystackProvider(config: PaystackConfig): PaymentProvider {
  const call = <T extends z.ZodType>(path: string, schema: T, init: { method?: string; body?: unknown } = {}) =>
    providerJson('Paystack', `${config.baseUrl}${path}`, schema, {
      ...init,
      headers: { authorization: `Bearer ${config.secretKey}` },
    });

  return {
    method: 'paystack',
    testMode: config.secretKey.startsWith('sk_test_'),

    async createCheckout(payment: Payment, context: CheckoutContext) {
      const { data } = await call('/transaction/initialize', initialized, {
        method: 'POST',
        body: {
          email: context.email,
          amount: payment.amount,
          currency: payment.currency,
          reference: payment.providerReference,
          callback_url: context.returnUrl,
          metadata: { payment_id: payment.id, package: payment.packageId },
        },
      });
      if (data.reference !== payment.providerReference) {
        throw new AppError('provider_unavailable', 'Paystack answered for another reference');
      }
      return { checkoutUrl: data.authorization_url };
    },

    async verify(payment: Payment) {
      const { data } = await call(`/transaction/verify/${encodeURIComponent(payment.providerReference)}`, verified);
      return {
        reference: data.reference,
        status: statusOf(data.status),
        amount: data.amount,
        currency: data.currency,
        detail: data.status,
        card: reusableCardOf(data.authorization),
      };
    },

    authenticateWebhook(rawBody, headers): AuthenticWebhook {
      checkHmac('sha512', config.secretKey, rawBody, header(headers, 'x-paystack-signature'));
      const parsed = webhook.safeParse(parseSignedJson(rawBody));
      if (!parsed.success) throw new AppError('invalid_input', 'not a Paystack event');
      const { event, data } = parsed.data;
      if (event === 'charge.success') {
        const charge = transaction.safeParse(data);
        if (!charge.success) throw new AppError('invalid_input', 'a charge.success event without its transaction');
        const { reference, amount, currency, status } = charge.data;
        const card = reusableCardOf(charge.data.authorization);
        return {
          eventType: event,
          reference,
          report: { reference, status: statusOf(status), amount, currency, detail: event, card },
        };
      }
      if (event === 'refund.processed') {
        const reference = typeof data.transaction_reference === 'string' ? data.transaction_reference : null;
        return {
          eventType: event,
          reference,
          report: reference ? { reference, status: 'refunded', detail: event } : null,
        };
      }
      return { eventType: event, reference: typeof data.reference === 'string' ? data.reference : null, report: null };
    },

    async refund(payment: Payment) {
      await call('/refund', envelope(z.unknown()), {
        method: 'POST',
        body: { transaction: payment.providerReference },
      });
    },
  };
}
