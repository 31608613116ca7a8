import type { Queryable } from '../db/types.ts';

export interface PaymentEvent {
  provider: string;
  payload: string;
  signatureValid: boolean;
  outcome: string;
  eventType?: string | null;
  reference?: string | null;
  paymentId?: string | null;
}

/** Keeps every webhook we receive, valid or not, with what we did about it. */
export async function recordPaymentEvent(db: Queryable, event: PaymentEvent): Promise<void> {
  await db.query(
    `INSERT INTO payment_events (provider, event_type, provider_reference, payment_id, signature_valid, outcome, payload)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      event.provider,
      event.eventType ?? null,
      event.reference ?? null,
      event.paymentId ?? null,
      event.signatureValid,
      event.outcome.slice(0, 500),
      event.payload.slice(0, 65_536),
    ],
  );
}
