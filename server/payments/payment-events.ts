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

// PostgreSQL text cannot hold NUL: the audit copy of a hostile body shows U+FFFD there instead of failing.
const storable = (text: string | null | undefined) => (text == null ? null : text.replaceAll('\0', '\uFFFD'));

/** Keeps every webhook we receive, valid or not, with what we did about it. */
export async function recordPaymentEvent(db: Queryable, event: PaymentEvent): Promise<void> {
  await db.query(
    `INSERT INTO payment_events (provider, event_type, provider_reference, payment_id, signature_valid, outcome, payload)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      event.provider,
      storable(event.eventType),
      storable(event.reference),
      event.paymentId ?? null,
      event.signatureValid,
      storable(event.outcome.slice(0, 500)),
      storable(event.payload.slice(0, 65_536)),
    ],
  );
}
