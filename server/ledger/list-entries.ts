import type { Queryable } from '../db/types.ts';
import { entryFromRow, type EntryKind, type LedgerEntry, type LedgerEntryRow } from './entries.ts';

export interface EntryPage {
  entries: LedgerEntry[];
  /** The id to continue after (older entries), or null when this is the last page. */
  nextCursor: bigint | null;
}

/** A user's entries, newest first, keyset-paged by id so pages never shift as entries arrive. */
export async function listEntries(
  db: Queryable,
  userId: string,
  page: { limit: number; cursor?: bigint | undefined; kind?: EntryKind | undefined },
): Promise<EntryPage> {
  const { rows } = await db.query<LedgerEntryRow>(
    `SELECT * FROM ledger_entries
     WHERE user_id = $1 AND ($2::bigint IS NULL OR id < $2) AND ($3::text IS NULL OR kind = $3)
     ORDER BY id DESC
     LIMIT $4`,
    [userId, page.cursor ?? null, page.kind ?? null, page.limit + 1],
  );
  const more = rows.length > page.limit;
  const entries = rows.slice(0, page.limit).map(entryFromRow);
  return { entries, nextCursor: more ? entries[entries.length - 1]!.id : null };
}
