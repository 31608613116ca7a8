-- The provider's own id for a payment (Paystack transaction, BTCPay invoice) and when
-- an unpaid checkout lapses.
ALTER TABLE payments ADD COLUMN provider_payment_id text;
ALTER TABLE payments ADD COLUMN expires_at timestamptz;
ALTER TABLE payments ADD COLUMN failure_reason text;
CREATE INDEX payments_provider_payment_idx ON payments (provider_payment_id) WHERE provider_payment_id IS NOT NULL;
CREATE INDEX payments_pending_idx ON payments (expires_at) WHERE status = 'pending';

-- Every webhook we receive, valid or not, for audit and reconciliation.
CREATE TABLE payment_events (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  provider           text NOT NULL,
  event_type         text,
  provider_reference text,
  payment_id         uuid,
  signature_valid    boolean NOT NULL,
  outcome            text NOT NULL,
  payload            text NOT NULL,
  received_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payment_events_payment_idx ON payment_events (payment_id) WHERE payment_id IS NOT NULL;
