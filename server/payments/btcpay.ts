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
import { providerJson } from './provider-http.ts';
import { checkHmac, parseSignedJson } from './signatures.ts';

export interface BtcpayConfig {
  baseUrl: string;
  apiKey: string;
  storeId: string;
  webhookSecret: string;
  testMode?: boolean;
}

const invoice = z.object({
  id: z.string(),
  status: z.string(),
  amount: z.union([z.string(), z.number()]),
  currency: z.string(),
  checkoutLink: z.string().url().optional(),
  metadata: z.object({ orderId: z.string().optional() }).passthrough().nullish(),
});
// Greenfield's PullPaymentData: the refund is a pull payment the buyer claims at viewLink.
const pullPayment = z.object({ id: z.string(), viewLink: z.string().optional() });
const webhook = z.object({
  type: z.string(),
  invoiceId: z.string().optional(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
});

// The Greenfield invoice states, reduced to ours.
const STATUS: Record<string, ProviderReport['status']> = { Settled: 'paid', Expired: 'failed', Invalid: 'failed' };
const EVENTS: Record<string, ProviderReport['status']> = {
  InvoiceSettled: 'paid',
  InvoiceExpired: 'failed',
  InvoiceInvalid: 'failed',
};

/** "25.00" (or 25) to 2500 subunits, exactly. */
function subunits(amount: string | number): number | undefined {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(String(amount));
  return match ? Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) : undefined;
}

/** Crypto through BTCPay Server's Greenfield API: invoice → hosted checkout → InvoiceSettled webhook or verify. */
export function btcpayProvider(config: BtcpayConfig): PaymentProvider {
  const store = `${config.baseUrl}/api/v1/stores/${encodeURIComponent(config.storeId)}`;
  const auth = { authorization: `token ${config.apiKey}` };

  return {
    method: 'crypto',
    testMode: config.testMode ?? false,

    async createCheckout(payment: Payment, context: CheckoutContext) {
      const created = await providerJson('BTCPay Server', `${store}/invoices`, invoice, {
        method: 'POST',
        headers: auth,
        body: {
          amount: (payment.amount / 100).toFixed(2),
          currency: payment.currency,
          metadata: { orderId: payment.providerReference, paymentId: payment.id, buyerEmail: context.email },
          checkout: { redirectURL: context.returnUrl, redirectAutomatically: true },
        },
      });
      if (!created.checkoutLink) throw new AppError('provider_unavailable', 'BTCPay Server returned no checkout link');
      return { checkoutUrl: created.checkoutLink, providerPaymentId: created.id };
    },

    async verify(payment: Payment) {
      if (!payment.providerPaymentId) throw new AppError('unknown_payment', 'this payment has no invoice yet');
      const found = await providerJson(
        'BTCPay Server',
        `${store}/invoices/${encodeURIComponent(payment.providerPaymentId)}`,
        invoice,
        {
          headers: auth,
        },
      );
      return {
        reference: found.metadata?.orderId ?? '',
        status: STATUS[found.status] ?? 'pending',
        amount: subunits(found.amount),
        currency: found.currency,
        detail: found.status,
      };
    },

    authenticateWebhook(rawBody, headers): AuthenticWebhook {
      const signature = header(headers, 'btcpay-sig');
      checkHmac(
        'sha256',
        config.webhookSecret,
        rawBody,
        signature?.startsWith('sha256=') ? signature.slice(7) : undefined,
      );
      const parsed = webhook.safeParse(parseSignedJson(rawBody));
      if (!parsed.success) throw new AppError('invalid_input', 'not a BTCPay Server event');
      const { type, invoiceId, metadata } = parsed.data;
      const reference = typeof metadata?.orderId === 'string' ? metadata.orderId : null;
      const status = EVENTS[type];
      // A settled invoice's amount is not in the event: the service fetches the invoice before crediting.
      const report = status && (reference || invoiceId) ? { reference: reference ?? '', status, detail: type } : null;
      return { eventType: type, reference, providerPaymentId: invoiceId ?? null, report };
    },

    // Refunds the invoice's price in its fiat currency, paid out on-chain at the day's rate.
    async refund(payment: Payment) {
      if (!payment.providerPaymentId) throw new AppError('unknown_payment', 'this payment has no invoice');
      await providerJson(
        'BTCPay Server',
        `${store}/invoices/${encodeURIComponent(payment.providerPaymentId)}/refund`,
        pullPayment,
        {
          method: 'POST',
          headers: auth,
          body: {
            name: `Refund ${payment.providerReference}`,
            description: `Atlantic Proxy refund of ${payment.packageId}`,
            paymentMethod: 'BTC-CHAIN',
            refundVariant: 'Fiat',
          },
        },
      );
    },
  };
}
