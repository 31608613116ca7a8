import { AppError } from '../../shared/errors.ts';
import type { Db } from '../db/types.ts';
import { DUMMY_HASH_PROMISE, hashPassword, verifyPassword } from './passwords.ts';
import { issueToken } from './tokens.ts';
import { insertUser, type Role } from './users.ts';

export interface AccountUser {
  id: string;
  email: string;
  role: Role;
  createdAt: Date;
}

interface UserRow {
  id: string;
  email: string;
  role: Role;
  password_hash: string | null;
  created_at: Date;
}

const fromRow = (row: UserRow): AccountUser => ({
  id: row.id,
  email: row.email,
  role: row.role,
  createdAt: row.created_at,
});

export async function findUserByEmail(
  db: Db,
  email: string,
): Promise<(AccountUser & { passwordHash: string | null }) | null> {
  const { rows } = await db.query<UserRow>('SELECT * FROM users WHERE email = $1', [email.toLowerCase()]);
  return rows[0] ? { ...fromRow(rows[0]), passwordHash: rows[0].password_hash } : null;
}

export async function getUser(db: Db, userId: string): Promise<AccountUser> {
  const { rows } = await db.query<UserRow>('SELECT * FROM users WHERE id = $1', [userId]);
  if (!rows[0]) throw new AppError('unknown_user', 'no such user');
  return fromRow(rows[0]);
}

export interface AuthConfig {
  tokenTtlMs: number;
  /** The service's clock, so tokens expire by the same time their checks use. */
  now: () => number;
}

/** Creates an account with its wallet and signs it in. */
export async function register(
  db: Db,
  credentials: { email: string; password: string },
  config: AuthConfig,
  role: Role = 'user',
): Promise<{ user: AccountUser; token: string }> {
  const passwordHash = await hashPassword(credentials.password);
  const userId = await db
    .transaction((tx) => insertUser(tx, { email: credentials.email, passwordHash, role }))
    .catch((error: { code?: string }) => {
      if (error.code === '23505')
        throw new AppError('email_taken', 'An account with this email already exists. Sign in instead.');
      throw error;
    });
  const token = await issueToken(db, userId, config.tokenTtlMs, config.now());
  return { user: await getUser(db, userId), token };
}

/** Checks the password (as slowly for an unknown email as for a wrong password) and issues a token. */
export async function login(
  db: Db,
  credentials: { email: string; password: string },
  config: AuthConfig,
): Promise<{ user: AccountUser; token: string }> {
  const found = await findUserByEmail(db, credentials.email);
  const ok = await verifyPassword(credentials.password, found?.passwordHash ?? (await DUMMY_HASH_PROMISE));
  if (!found || !found.passwordHash || !ok)
    throw new AppError('invalid_credentials', 'The email or password is wrong.');
  const token = await issueToken(db, found.id, config.tokenTtlMs, config.now());
  const { passwordHash: _, ...user } = found;
  return { user, token };
}
