import type { Queryable } from '../db/types.ts';
import { entryFromRow, type EntryKind, type LedgerEntry, type LedgerEntryRow } from './entries.ts';

/** What a session line shows of its session. */
export interface SessionUsage {
  live: boolean;
  tier: string;
  targeting: Record<string, string>;
  /** Everything the session was charged, posted or not. */
  cost: bigint;
  servedMs: number;
  bytesUp: bigint;
  bytesDown: bigint;
}

export interface ActivityLine extends LedgerEntry {
  /** Set on usage lines: one line per session, whatever number of entries it posted. */
  session: SessionUsage | null;
}

export interface ActivityPage {
  entries: ActivityLine[];
  /** The entry id to continue after, or null on the last page. */
  nextCursor: bigint | null;
}

interface ActivityRow extends LedgerEntryRow {
  s_status: 'active' | 'ended' | null;
  s_tier: string | null;
  s_targeting: Record<string, string> | null;
  s_cost: bigint | null;
  s_served_ms: bigint | null;
  s_bytes_up: bigint | null;
  s_bytes_down: bigint | null;
}

const SESSION_COLUMNS = `s.status AS s_status, s.tier AS s_tier, s.targeting AS s_targeting, s.charged_total AS s_cost,
  GREATEST(0, floor(extract(epoch FROM s.charged_until - s.started_at) * 1000)::bigint - s.unserved_ms) AS s_served_ms,
  s.bytes_up AS s_bytes_up, s.bytes_down AS s_bytes_down`;

function lineFromRow(row: ActivityRow): ActivityLine {
  const entry = entryFromRow(row);
  if (row.kind !== 'usage' || row.s_status === null) return { ...entry, session: null };
  return {
    ...entry,
    amount: -row.s_cost!,
    session: {
      live: row.s_status === 'active',
      tier: row.s_tier!,
      targeting: row.s_targeting!,
      cost: row.s_cost!,
      servedMs: Number(row.s_served_ms),
      bytesUp: row.s_bytes_up!,
      bytesDown: row.s_bytes_down!,
    },
  };
}

/**
 * A user's activity, newest first, keyset-paged by entry id: every entry but usage,
 * which shows as one line per session (its latest usage entry, carrying the session's
 * whole cost, duration, place and traffic), and on the first page one running line for
 * each live session, whose usage is posted only once an hour.
 */
export async function listActivity(
  db: Queryable,
  userId: string,
  page: { limit: number; cursor?: bigint | undefined; kind?: EntryKind | undefined },
): Promise<ActivityPage> {
  const { rows } = await db.query<ActivityRow>(
    `WITH last_usage AS (
       SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY session_id ORDER BY id DESC) AS nth
                       FROM ledger_entries WHERE user_id = $1 AND kind = 'usage') u
       WHERE nth = 1
     )
     SELECT e.*, ${SESSION_COLUMNS}
     FROM ledger_entries e LEFT JOIN proxy_sessions s ON s.id = e.session_id AND s.user_id = e.user_id
     WHERE e.user_id = $1 AND ($2::bigint IS NULL OR e.id < $2) AND ($3::text IS NULL OR e.kind = $3)
       AND (e.kind <> 'usage' OR (s.status = 'ended' AND e.id IN (SELECT id FROM last_usage)))
     ORDER BY e.id DESC
     LIMIT $4`,
    [userId, page.cursor ?? null, page.kind ?? null, page.limit + 1],
  );
  const more = rows.length > page.limit;
  const entries = rows.slice(0, page.limit).map(lineFromRow);
  const nextCursor = more ? entries[entries.length - 1]!.id : null;
  if (page.cursor !== undefined || (page.kind !== undefined && page.kind !== 'usage')) return { entries, nextCursor };
  return { entries: [...(await liveLines(db, userId)), ...entries], nextCursor };
}

/** A running line per live session: what it has cost so far, with the balance as it is now. */
async function liveLines(db: Queryable, userId: string): Promise<ActivityLine[]> {
  const { rows } = await db.query<ActivityRow & { session_id: string; started_at: Date }>(
    `SELECT 0::bigint AS id, s.user_id, 'usage' AS kind, -s.charged_total AS amount, w.balance AS balance_after,
            s.id AS session_id, NULL::uuid AS payment_id, 'session:' || s.id AS idempotency_key,
            'Proxy usage' AS description, '{}'::jsonb AS metadata, s.started_at AS created_at, ${SESSION_COLUMNS}
     FROM proxy_sessions s JOIN wallets w ON w.user_id = s.user_id
     WHERE s.user_id = $1 AND s.status = 'active'
     ORDER BY s.started_at DESC`,
    [userId],
  );
  return rows.map(lineFromRow);
}
