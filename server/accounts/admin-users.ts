import { AppError } from '../../shared/errors.ts';
import type { MicroCredits } from '../../shared/money.ts';
import type { Queryable } from '../db/types.ts';
import { balancesOf } from '../ledger/wallets.ts';
import type { Role } from './users.ts';

export interface UserWithBalance {
  id: string;
  email: string;
  role: Role;
  balance: MicroCredits;
  createdAt: Date;
}

/** Users and their balances for operators, newest first, optionally by email substring. */
export async function listUsers(
  db: Queryable,
  filter: { limit: number; email?: string | undefined },
): Promise<UserWithBalance[]> {
  const { rows } = await db.query<{ id: string; email: string; role: Role; created_at: Date }>(
    `SELECT u.id, u.email, u.role, u.created_at
     FROM users u
     WHERE $1::text IS NULL OR strpos(u.email, lower($1)) > 0
     ORDER BY u.created_at DESC, u.id
     LIMIT $2`,
    [filter.email ?? null, filter.limit],
  );
  const balances = await balancesOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    role: r.role,
    balance: balances.get(r.id)!,
    createdAt: r.created_at,
  }));
}

/** The id of the account with this email or id; `unknown_user` otherwise. */
export async function findUserId(
  db: Queryable,
  who: { userId?: string | undefined; email?: string | undefined },
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    'SELECT id FROM users WHERE ($1::text IS NOT NULL AND id::text = $1) OR ($2::text IS NOT NULL AND email = lower($2))',
    [who.userId ?? null, who.email ?? null],
  );
  if (!rows[0]) throw new AppError('unknown_user', 'no such user');
  return rows[0].id;
}

export async function setRole(db: Queryable, userId: string, role: Role): Promise<void> {
  const { rowCount } = await db.query('UPDATE users SET role = $2 WHERE id = $1', [userId, role]);
  if (rowCount === 0) throw new AppError('unknown_user', 'no such user');
}
