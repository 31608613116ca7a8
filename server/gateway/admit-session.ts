import type { GatewayRefusal } from '../../shared/api/gateway.ts';
import { isUuid } from '../../shared/ids.ts';
import type { Targeting } from '../../shared/targeting.ts';
import type { Queryable } from '../db/types.ts';
import { gatewayPasswordMatches } from '../sessions/gateway-credentials.ts';
import type { ExitIdentityRule } from './exit-identity.ts';

export type Admission =
  | { admitted: true; sessionId: string; targeting: Targeting; identity: ExitIdentityRule }
  | { admitted: false; refusal: GatewayRefusal; reason: string | null; message: string };

interface CredentialRow {
  id: string;
  status: 'active' | 'ended';
  end_reason: string | null;
  targeting: Targeting;
  gateway_password_hash: string | null;
  session_mode: ExitIdentityRule['mode'];
  sticky_minutes: number;
  started_at: Date;
}

const refuse = (refusal: GatewayRefusal, message: string, reason: string | null = null): Admission => ({
  admitted: false,
  refusal,
  reason,
  message,
});

/**
 * Checks a connection's credentials: the username is a session id, the password
 * that session's gateway password (only its hash is stored). Read on every
 * request, so an ended session is refused at once, whatever any cache thinks.
 * The targeting comes from the stored session, never from the request.
 */
export async function admitSession(db: Queryable, username: string, password: string): Promise<Admission> {
  if (!username && !password) return refuse('credentials_required', 'Proxy credentials required: connect first.');
  const invalid = refuse('invalid_credentials', 'Unknown session or wrong password.');
  if (!isUuid(username)) return invalid;
  const { rows } = await db.query<CredentialRow>(
    `SELECT id, status, end_reason, targeting, gateway_password_hash, session_mode, sticky_minutes, started_at
     FROM proxy_sessions WHERE id = $1`,
    [username],
  );
  const row = rows[0];
  if (!row || !gatewayPasswordMatches(password, row.gateway_password_hash)) return invalid;
  if (row.status !== 'active') {
    return refuse('session_ended', `The session has ended (${row.end_reason}).`, row.end_reason);
  }
  const identity = { mode: row.session_mode, stickyMinutes: row.sticky_minutes, startedAt: row.started_at.getTime() };
  return { admitted: true, sessionId: row.id, targeting: row.targeting, identity };
}
