-- Opaque bearer tokens, stored only as hashes. The token names its user, so the
-- lookup stays on the distribution column.
CREATE TABLE auth_tokens (
  user_id    uuid NOT NULL REFERENCES users (id),
  token_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  PRIMARY KEY (user_id, token_hash)
);

-- Each session gets its own gateway password; only its hash is kept.
ALTER TABLE proxy_sessions ADD COLUMN gateway_password_hash text;
