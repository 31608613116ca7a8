import type { CardAuthorization } from './auto-topup/saved-cards.ts';
import type { Payment } from './pending-payments.ts';

/** What a provider says happened to a payment, checked against ours before anything is credited. */
export interface ProviderReport {
  /** Our reference, as the provider echoes it. */
  reference: string;
  status: 'paid' | 'pending' | 'failed' | 'refunded';
  /** In the currency's subunits, when the provider reports it. */
  amount?: number | undefined;
  currency?: string | undefined;
  /** The provider's own name for what happened (event type or status), for the audit log. */
  detail: string;
  /** A paid card payment's reusable authorization, which auto top-up may charge later. */
  card?: CardAuthorization | undefined;
}

/** A webhook whose signature was checked; `report` is null for events we acknowledge and ignore. */
export interface AuthenticWebhook {
  eventType: string;
  /** Our reference, or else the provider's own payment id, naming the payment. */
  reference: string | null;
  providerPaymentId?: string | null;
  report: ProviderReport | null;
}

export interface CheckoutContext {
  email: string;
  /** Where the provider sends the user's browser back to when done. */
  returnUrl: string;
}

/** One payment method. The service depends on this interface, never on a provider's HTTP details. */
export interface PaymentProvider {
  readonly method: string;
  /** Test mode: no real money moves; the UI says so wherever it is active. */
  readonly testMode: boolean;
  createCheckout(
    payment: Payment,
    context: CheckoutContext,
  ): Promise<{ checkoutUrl: string; providerPaymentId?: string }>;
  /** Asks the provider for the payment's current state (the app's "I'm back" check). */
  verify(payment: Payment): Promise<ProviderReport>;
  /**
   * Authenticates a webhook from its raw bytes before anything else looks at it.
   * Throws `invalid_signature` when the signature is missing or wrong.
   */
  authenticateWebhook?(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): AuthenticWebhook;
  /** Asks the provider to refund the payment; the credits are clawed back by the caller. */
  refund?(payment: Payment): Promise<void>;
}

export function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
