-- Served time: a session is billed only for time with evidence that it was served.
-- Gaps between heartbeats longer than the allowed gap (service, gateway or client down)
-- are added here when the next heartbeat shows them, and left out of what is owed.
ALTER TABLE proxy_sessions ADD COLUMN unserved_ms bigint NOT NULL DEFAULT 0 CHECK (unserved_ms >= 0);

-- Gateways running on their own (`npm run gateway`) say they are alive every sweep;
-- up_since restarts when one comes back after a silence, so a heartbeat can tell
-- whether the gateway served the whole time since the one before.
CREATE TABLE gateways (
  id        text PRIMARY KEY,
  up_since  timestamptz NOT NULL,
  seen_at   timestamptz NOT NULL
);

