-- What the metering tick's UPDATE added to charged_total, so the same statement can write
-- the ledger entry: PostgreSQL 15's RETURNING sees only the new row. Read only inside the
-- tick's own transaction, which is why nothing else keeps it up to date.
ALTER TABLE proxy_sessions ADD COLUMN last_charge bigint NOT NULL DEFAULT 0 CHECK (last_charge >= 0);
