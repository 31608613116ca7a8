import { AppError } from '../../shared/errors.ts';
import { isUuid } from '../../shared/ids.ts';
import type { MicroCredits } from '../../shared/money.ts';
import type { Queryable } from '../db/types.ts';

export interface Wallet {
  userId: string;
  balance: MicroCredits;
  totalPurchased: MicroCredits;
  totalSpent: MicroCredits;
  updatedAt: Date;
}

/** Opens the empty wallet of a new user, in the transaction that creates them. */
export async function openWallet(tx: Queryable, userId: string): Promise<void> {
  await tx.query('INSERT INTO wallets (user_id) VALUES ($1)', [userId]);
}

/**
 * Locks the wallets of these users in user-id order (so two callers locking
 * several never deadlock) and returns their balances. Writers that charge
 * sessions lock the sessions first, then the wallet.
 */
export async function lockBalances(tx: Queryable, userIds: Iterable<string>): Promise<Map<string, MicroCredits>> {
  const { rows } = await tx.query<{ user_id: string; balance: bigint }>(
    'SELECT user_id, balance FROM wallets WHERE user_id = ANY($1::uuid[]) ORDER BY user_id FOR UPDATE',
    [[...new Set(userIds)]],
  );
  return new Map(rows.map((r) => [r.user_id, r.balance]));
}

/** Balances by user, without locking (0 for a user with no wallet). */
export async function balancesOf(db: Queryable, userIds: readonly string[]): Promise<Map<string, MicroCredits>> {
  const { rows } = await db.query<{ user_id: string; balance: bigint }>(
    'SELECT user_id, balance FROM wallets WHERE user_id = ANY($1::uuid[])',
    [userIds],
  );
  return new Map(userIds.map((id) => [id, rows.find((r) => r.user_id === id)?.balance ?? 0n]));
}

/** Locks the wallet row for the rest of the transaction and returns its balance. */
export async function lockWallet(tx: Queryable, userId: string): Promise<MicroCredits> {
  const { rows } = await tx.query<{ balance: bigint }>('SELECT balance FROM wallets WHERE user_id = $1 FOR UPDATE', [
    userId,
  ]);
  if (!rows[0]) throw new AppError('unknown_user', 'no such user');
  return rows[0].balance;
}

export async function getWallet(db: Queryable, userId: string): Promise<Wallet> {
  if (!isUuid(userId)) throw new AppError('unknown_user', 'no such user');
  const { rows } = await db.query<{
    user_id: string;
    balance: bigint;
    total_purchased: bigint;
    total_spent: bigint;
    updated_at: Date;
  }>('SELECT * FROM wallets WHERE user_id = $1', [userId]);
  const row = rows[0];
  if (!row) throw new AppError('unknown_user', 'no such user');
  return {
    userId: row.user_id,
    balance: row.balance,
    totalPurchased: row.total_purchased,
    totalSpent: row.total_spent,
    updatedAt: row.updated_at,
  };
}
