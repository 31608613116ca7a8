import { randomUUID } from 'node:crypto';
import { credits, type MicroCredits } from '../../shared/money.ts';
import { createUser } from '../../server/accounts/users.ts';
import type { Db } from '../../server/db/types.ts';
import { credit } from '../../server/ledger/ledger.ts';
import { getWallet } from '../../server/ledger/wallets.ts';

/** A new user whose wallet holds `balance` (granted as an adjustment). */
export async function userWithBalance(db: Db, balance: MicroCredits | string = 0n): Promise<string> {
  const userId = await createUser(db, { email: `${randomUUID()}@test.example` });
  const amount = typeof balance === 'string' ? credits(balance) : balance;
  if (amount > 0n) {
    await credit(db, {
      userId,
      kind: 'adjustment',
      amount,
      idempotencyKey: `fixture:${userId}`,
      description: 'test funds',
    });
  }
  return userId;
}

export async function balanceOf(db: Db, userId: string): Promise<MicroCredits> {
  return (await getWallet(db, userId)).balance;
}
