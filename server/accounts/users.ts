import type { Db, Queryable } from '../db/types.ts';
import { openWallet } from '../ledger/wallets.ts';

export type Role = 'user' | 'admin';

export interface NewUser {
  email: string;
  passwordHash?: string | null;
  role?: Role;
}

/** Creates the account and its empty wallet together, so every user has exactly one wallet. */
export async function createUser(db: Db, user: NewUser): Promise<string> {
  return db.transaction((tx) => insertUser(tx, user));
}

export async function insertUser(tx: Queryable, user: NewUser): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    'INSERT INTO users (email, password_hash, role) VALUES ($1, $2, $3) RETURNING id',
    [user.email.toLowerCase(), user.passwordHash ?? null, user.role ?? 'user'],
  );
  const id = rows[0]!.id;
  await openWallet(tx, id);
  return id;
}
