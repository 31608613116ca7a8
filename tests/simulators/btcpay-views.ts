import type { BtcpayInvoice } from './btcpay-ledger.ts';

/** The Greenfield InvoiceData model (camelCase, times in unix seconds, amounts as decimal strings). */
export function invoiceView(invoice: BtcpayInvoice, baseUrl: string) {
  const marking: string[] = [];
  if (invoice.status !== 'Settled') marking.push('Settled');
  if (invoice.status !== 'Invalid') marking.push('Invalid');
  return {
    id: invoice.id,
    storeId: invoice.storeId,
    type: invoice.type,
    amount: invoice.amount,
    paidAmount: invoice.paidAmount,
    currency: invoice.currency,
    checkoutLink: `${baseUrl}/i/${invoice.id}`,
    status: invoice.status,
    additionalStatus: invoice.additionalStatus,
    monitoringExpiration: invoice.monitoringExpiration,
    expirationTime: invoice.expirationTime,
    createdTime: invoice.createdTime,
    availableStatusesForManualMarking: marking,
    archived: false,
    metadata: invoice.metadata,
    checkout: {
      speedPolicy: 'MediumSpeed',
      paymentMethods: ['BTC-CHAIN', 'BTC-LN'],
      defaultPaymentMethod: null,
      expirationMinutes: (invoice.expirationTime - invoice.createdTime) / 60,
      monitoringMinutes: (invoice.monitoringExpiration - invoice.expirationTime) / 60,
      paymentTolerance: 0,
      redirectURL: null,
      redirectAutomatically: false,
      defaultLanguage: null,
      ...invoice.checkout,
    },
    receipt: { enabled: true, showQR: true, showPayments: true },
  };
}

export interface WebhookEnvelope {
  deliveryId: string;
  webhookId: string;
  originalDeliveryId: string;
  isRedelivery: boolean;
  type: string;
  /** Unix seconds. */
  timestamp: number;
}

/**
 * A webhook body as BTCPay writes it: Newtonsoft with Formatting.Indented, i.e. two-space
 * indentation. A receiver that re-serializes the JSON before checking BTCPay-Sig will fail.
 */
export function webhookBody(envelope: WebhookEnvelope, invoice: BtcpayInvoice, extra: Record<string, unknown>): string {
  return JSON.stringify(
    { ...envelope, storeId: invoice.storeId, invoiceId: invoice.id, metadata: invoice.metadata, ...extra },
    null,
    2,
  );
}
