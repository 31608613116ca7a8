import type { Queryable } from '../db/types.ts';
import { sessionFromRow, type ProxySession, type SessionRow } from './session-row.ts';

/** A user's sessions, live ones first, then the most recent. */
export async function listSessions(
  db: Queryable,
  userId: string,
  filter: { status?: 'active' | 'ended' | undefined; limit: number },
): Promise<ProxySession[]> {
  const { rows } = await db.query<SessionRow>(
    `SELECT * FROM proxy_sessions
     WHERE user_id = $1 AND ($2::text IS NULL OR status = $2)
     ORDER BY (status = 'active') DESC, started_at DESC
     LIMIT $3`,
    [userId, filter.status ?? null, filter.limit],
  );
  return rows.map(sessionFromRow);
}
