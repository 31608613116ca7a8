-- Auto top-up with a saved card (Paystack). The authorization code never leaves the
-- server; the app sees brand, last 4 and expiry only. One card per user: the latest.
CREATE TABLE saved_cards (
  user_id            uuid PRIMARY KEY REFERENCES users (id),
  provider           text NOT NULL DEFAULT 'paystack',
  authorization_code text NOT NULL,
  brand              text NOT NULL,
  last4              text NOT NULL,
  exp_month          integer NOT NULL,
  exp_year           integer NOT NULL,
  saved_at           timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE auto_topup_settings (
  user_id           uuid PRIMARY KEY REFERENCES users (id),
  enabled           boolean NOT NULL DEFAULT false,
  package           text NOT NULL,
  threshold         bigint NOT NULL CHECK (threshold > 0),
  monthly_cap_cents bigint NOT NULL CHECK (monthly_cap_cents > 0),
  -- Why it was turned off by the service (a declined charge), for the app to tell the user.
  disabled_reason   text,
  updated_at        timestamptz NOT NULL DEFAULT now()
);

-- One row per threshold crossing, claimed before Paystack is called: the unique key is
-- what makes a crossing charge at most once, whichever process or webhook sees it.
-- `crossing` is the ledger entry (a credit) after which the balance fell below the threshold.
CREATE TABLE auto_topups (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id     uuid NOT NULL REFERENCES users (id),
  crossing    bigint NOT NULL,
  payment_id  uuid REFERENCES payments (id),
  amount      bigint NOT NULL,
  currency    text NOT NULL,
  status      text NOT NULL CHECK (status IN ('charging', 'paid', 'declined', 'failed', 'capped')),
  detail      text,
  created_at  timestamptz NOT NULL,
  UNIQUE (user_id, crossing)
);
CREATE INDEX auto_topups_user_created_idx ON auto_topups (user_id, created_at);
