import { randomBytes } from 'node:crypto';
import type { Db } from '../db/types.ts';
import { findUserByEmail } from './auth-service.ts';
import { hashPassword } from './passwords.ts';
import { issueToken } from './tokens.ts';
import { createUser } from './users.ts';

export const LOCAL_ACCOUNT_EMAIL = 'local@atlantic.invalid';

/**
 * Embedded mode has one user, the person at this machine: create the account
 * once (with a random password nobody needs) and hand the app a fresh token, so
 * a desktop user never sees a login form.
 */
export async function ensureLocalAccount(db: Db, tokenTtlMs: number): Promise<{ userId: string; token: string }> {
  const existing = await findUserByEmail(db, LOCAL_ACCOUNT_EMAIL);
  const userId =
    existing?.id ??
    (await createUser(db, {
      email: LOCAL_ACCOUNT_EMAIL,
      passwordHash: await hashPassword(randomBytes(24).toString('base64url')),
    }));
  return { userId, token: await issueToken(db, userId, tokenTtlMs) };
}
