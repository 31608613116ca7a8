import { createHash, randomBytes } from 'node:crypto';
import { isUuid } from '../../shared/ids.ts';
import type { Queryable } from '../db/types.ts';
import type { Role } from './users.ts';

const TOKEN = /^atl_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

export interface Principal {
  userId: string;
  email: string;
  role: Role;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function uuidOf(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Mints an opaque bearer token `atl_<user>_<secret>`; only its hash is stored. */
export async function issueToken(db: Queryable, userId: string, ttlMs: number, now = Date.now()): Promise<string> {
  const token = `atl_${userId.replaceAll('-', '')}_${randomBytes(32).toString('base64url')}`;
  await db.query('INSERT INTO auth_tokens (user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)', [
    userId,
    sha256(token),
    new Date(now).toISOString(),
    new Date(now + ttlMs).toISOString(),
  ]);
  return token;
}

/** The user a live token belongs to, or null for anything else. */
export async function resolveToken(db: Queryable, token: string, now = Date.now()): Promise<Principal | null> {
  const match = TOKEN.exec(token);
  if (!match) return null;
  const userId = uuidOf(match[1]!);
  if (!isUuid(userId)) return null;
  const { rows } = await db.query<{ id: string; email: string; role: Role }>(
    `SELECT u.id, u.email, u.role FROM auth_tokens t JOIN users u ON u.id = t.user_id
     WHERE t.user_id = $1 AND t.token_hash = $2 AND t.revoked_at IS NULL AND t.expires_at > $3`,
    [userId, sha256(token), new Date(now).toISOString()],
    { name: 'resolve_token' },
  );
  const row = rows[0];
  return row ? { userId: row.id, email: row.email, role: row.role } : null;
}

export async function revokeToken(db: Queryable, token: string, now = Date.now()): Promise<void> {
  const match = TOKEN.exec(token);
  if (!match) return;
  await db.query(
    'UPDATE auth_tokens SET revoked_at = $3 WHERE user_id = $1 AND token_hash = $2 AND revoked_at IS NULL',
    [uuidOf(match[1]!), sha256(token), new Date(now).toISOString()],
  );
}
