import { AppError } from '../../shared/errors.ts';
import { toMicroCredits } from '../../shared/money.ts';
import type { Db } from '../db/types.ts';
import { postEntry, type EntryInput, type PostResult } from './post-entry.ts';

function positive(input: EntryInput, what: string): bigint {
  const amount = toMicroCredits(input.amount);
  if (amount <= 0n) throw new AppError('invalid_amount', `${what} must be a positive number of micro-credits`);
  return amount;
}

/** Adds credits (purchase, bonus, a positive adjustment) in one transaction. */
export async function credit(db: Db, input: EntryInput): Promise<PostResult> {
  const amount = positive(input, 'a credit');
  return db.transaction((tx) => postEntry(tx, { ...input, amount }));
}

/**
 * Takes credits (usage, a refund claw-back, a negative adjustment) in one transaction.
 * `amount` is the positive sum to take; the entry records it negative.
 */
export async function debit(db: Db, input: EntryInput): Promise<PostResult> {
  const amount = positive(input, 'a debit');
  return db.transaction((tx) => postEntry(tx, { ...input, amount: -amount }));
}
