-- Accounts, wallets, the append-only ledger, payments and metered proxy sessions.
-- Every table carries user_id so the schema distributes on it (Citus) when needed.

CREATE TABLE users (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email         text NOT NULL UNIQUE,
  password_hash text,
  role          text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE wallets (
  user_id         uuid PRIMARY KEY REFERENCES users (id),
  balance         bigint NOT NULL DEFAULT 0 CHECK (balance >= 0),
  total_purchased bigint NOT NULL DEFAULT 0 CHECK (total_purchased >= 0),
  total_spent     bigint NOT NULL DEFAULT 0 CHECK (total_spent >= 0),
  updated_at      timestamptz NOT NULL DEFAULT now()
) WITH (fillfactor = 50); -- room on each page so the per-minute balance updates stay HOT

CREATE TABLE payments (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id            uuid NOT NULL REFERENCES users (id),
  package            text NOT NULL,
  provider           text NOT NULL,
  provider_reference text NOT NULL UNIQUE,
  amount             bigint NOT NULL CHECK (amount > 0),
  currency           text NOT NULL,
  credits            bigint NOT NULL CHECK (credits > 0),
  bonus              bigint NOT NULL DEFAULT 0 CHECK (bonus >= 0),
  status             text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid', 'failed', 'refunded')),
  checkout_url       text,
  -- A refund takes back what the balance still holds; what it could not is recorded here.
  refund_shortfall   bigint NOT NULL DEFAULT 0 CHECK (refund_shortfall >= 0),
  created_at         timestamptz NOT NULL DEFAULT now(),
  paid_at            timestamptz
);
CREATE INDEX payments_user_idx ON payments (user_id, created_at DESC);

CREATE TABLE proxy_sessions (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id           uuid NOT NULL REFERENCES users (id),
  targeting         jsonb NOT NULL,
  tier              text NOT NULL CHECK (tier IN ('country', 'city', 'state', 'isp')),
  rate              bigint NOT NULL CHECK (rate > 0),
  started_at        timestamptz NOT NULL,
  -- Service up to here has been charged; charged_total = floor(rate × (charged_until − started_at) / 1h)
  -- except for a session that ran out of credits.
  charged_until     timestamptz NOT NULL,
  charged_total     bigint NOT NULL DEFAULT 0 CHECK (charged_total >= 0),
  last_heartbeat_at timestamptz NOT NULL,
  ended_at          timestamptz,
  end_reason        text,
  status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
  bytes_up          bigint NOT NULL DEFAULT 0,
  bytes_down        bigint NOT NULL DEFAULT 0,
  CHECK ((status = 'ended') = (ended_at IS NOT NULL AND end_reason IS NOT NULL))
) WITH (fillfactor = 70); -- room for the metering tick's updates to stay HOT
CREATE INDEX proxy_sessions_user_idx ON proxy_sessions (user_id, started_at DESC);
-- The metering worker's scan: only live sessions, in id order for stable batches.
CREATE INDEX proxy_sessions_active_idx ON proxy_sessions (id) WHERE status = 'active';
-- A user's live sessions, for the balance every client polls.
CREATE INDEX proxy_sessions_user_active_idx ON proxy_sessions (user_id) WHERE status = 'active';

-- No foreign keys here: the ledger is written only by server/ledger and the metering
-- tick, which check references first, and verifyLedger() audits them. Per-row FK
-- checks were a third of the cost of metering 100,000 sessions a minute.
CREATE TABLE ledger_entries (
  id              bigint GENERATED ALWAYS AS IDENTITY,
  user_id         uuid NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('purchase', 'bonus', 'usage', 'refund', 'adjustment')),
  amount          bigint NOT NULL CHECK (amount <> 0),
  balance_after   bigint NOT NULL CHECK (balance_after >= 0),
  session_id      uuid,
  payment_id      uuid,
  -- Idempotency is per user (a key cannot collide across accounts), which also keeps
  -- the unique index on the distribution column.
  idempotency_key text NOT NULL,
  description     text NOT NULL DEFAULT '',
  metadata        jsonb NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL DEFAULT now(),
  -- Keyed by user first: a user's history is one index range, and the key distributes.
  PRIMARY KEY (user_id, id),
  UNIQUE (user_id, idempotency_key),
  CHECK (kind <> 'usage' OR (amount < 0 AND session_id IS NOT NULL)),
  CHECK (kind NOT IN ('purchase', 'bonus') OR (amount > 0 AND payment_id IS NOT NULL))
);
CREATE INDEX ledger_entries_payment_idx ON ledger_entries (payment_id) WHERE payment_id IS NOT NULL;
