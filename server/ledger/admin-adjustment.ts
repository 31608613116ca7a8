import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors.ts';
import type { MicroCredits } from '../../shared/money.ts';
import type { Db } from '../db/types.ts';
import type { LedgerEntry } from './entries.ts';
import { postEntry } from './post-entry.ts';

export interface Adjustment {
  userId: string;
  /** Signed µcr: positive grants, negative takes. */
  amount: MicroCredits;
  reason: string;
  /** Who made the change: an admin's user id, or the CLI's operator. */
  by: { adminId: string | null; name: string };
  idempotencyKey?: string | undefined;
}

/** An operator's change to a balance: one ledger entry that records who and why. */
export async function adjustBalance(db: Db, adjustment: Adjustment): Promise<LedgerEntry> {
  if (adjustment.reason.trim().length < 3) throw new AppError('invalid_input', 'say why, in at least 3 characters');
  const { entry } = await db.transaction((tx) =>
    postEntry(tx, {
      userId: adjustment.userId,
      kind: 'adjustment',
      amount: adjustment.amount,
      idempotencyKey: `admin:${adjustment.idempotencyKey ?? randomUUID()}`,
      description: `Adjustment: ${adjustment.reason.trim()}`,
      metadata: { admin_id: adjustment.by.adminId, by: adjustment.by.name, reason: adjustment.reason.trim() },
    }),
  );
  return entry!;
}
