/** How a payment ended, as people say it: a cancelled checkout is not a failed payment. */
export type PaymentOutcome = 'pending' | 'paid' | 'cancelled' | 'expired' | 'failed' | 'refunded';

export function paymentOutcome(payment: {
  status: 'pending' | 'paid' | 'failed' | 'refunded';
  failure_reason?: string | null | undefined;
}): PaymentOutcome {
  if (payment.status !== 'failed') return payment.status;
  const reason = payment.failure_reason ?? '';
  if (/expire/i.test(reason)) return 'expired';
  if (/cancel|abandon/i.test(reason)) return 'cancelled';
  return 'failed';
}
