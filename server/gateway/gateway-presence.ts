import type { Db } from '../db/types.ts';

/**
 * Gateways say they are alive every sweep, so the service can tell whether a
 * session's gateway served it between two heartbeats (see metering/served-time.ts).
 * A report after a silence longer than `staleMs` starts a new run (`up_since`).
 */
export async function reportPresence(db: Db, gatewayId: string, now: number, staleMs: number): Promise<void> {
  await db.query(
    `INSERT INTO gateways (id, up_since, seen_at) VALUES ($1, $2, $2)
     ON CONFLICT (id) DO UPDATE
     SET up_since = CASE WHEN gateways.seen_at < $3 THEN EXCLUDED.seen_at ELSE gateways.up_since END,
         seen_at = EXCLUDED.seen_at`,
    [gatewayId, new Date(now).toISOString(), new Date(now - staleMs).toISOString()],
  );
}

/**
 * Since when some gateway has been up without a break, as of `now` (ms); null
 * when none has reported within `staleMs`. Rows of gateways gone for a day are dropped.
 */
export async function gatewaysUpSince(db: Db, now: number, staleMs: number): Promise<number | null> {
  const { rows } = await db.query<{ up_since: Date | null }>(
    `WITH gone AS (DELETE FROM gateways WHERE seen_at < $2)
     SELECT min(up_since) AS up_since FROM gateways WHERE seen_at >= $1`,
    [new Date(now - staleMs).toISOString(), new Date(now - 86_400_000).toISOString()],
  );
  return rows[0]?.up_since?.getTime() ?? null;
}

// Heartbeats from many clients arrive together; one read serves them all for this long.
const EVIDENCE_CACHE_MS = 250;

/** `gatewaysUpSince` for the service's heartbeat and disconnect routes, read at most every 250 ms. */
export function presenceEvidence(db: Db, now: () => number, staleMs: number): () => Promise<number | null> {
  let cached: { at: number; upSince: Promise<number | null> } | undefined;
  return () => {
    const at = now();
    if (!cached || at - cached.at > EVIDENCE_CACHE_MS || at < cached.at) {
      const upSince = gatewaysUpSince(db, at, staleMs);
      cached = { at, upSince };
      upSince.catch(() => (cached = undefined));
    }
    return cached.upSince;
  };
}
