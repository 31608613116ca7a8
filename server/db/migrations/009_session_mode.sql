-- How a session's exit identity ({session} in an exit URL) behaves: sticky keeps one
-- value for sticky_minutes at a time, renewed within the session; rotating takes a new
-- one for every connection through the gateway. The price is the same either way.
ALTER TABLE proxy_sessions
  ADD COLUMN session_mode text NOT NULL DEFAULT 'sticky' CHECK (session_mode IN ('sticky', 'rotating')),
  ADD COLUMN sticky_minutes integer NOT NULL DEFAULT 10 CHECK (sticky_minutes IN (10, 30, 60));
