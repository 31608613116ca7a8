import type { Db, Queryable } from '../db/types.ts';

/** NOTIFY channel carrying the id of every session that ends, from any process. */
export const SESSION_ENDED_CHANNEL = 'atlantic_session_ended';

/** Announces ended sessions; delivered when the caller's transaction commits. */
export async function announceEnded(tx: Queryable, sessionIds: readonly string[]): Promise<void> {
  if (sessionIds.length === 0) return;
  await tx.query(`SELECT pg_notify('${SESSION_ENDED_CHANNEL}', id::text) FROM unnest($1::uuid[]) AS id`, [sessionIds]);
}

/** Calls `onEnded` with each session id as its session ends (gateways close its tunnels). */
export function onSessionEnded(db: Db, onEnded: (sessionId: string) => void): Promise<() => Promise<void>> {
  return db.listen(SESSION_ENDED_CHANNEL, onEnded);
}
