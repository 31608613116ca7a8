import type { MicroCredits } from '../../shared/money.ts';

export const ENTRY_KINDS = ['purchase', 'bonus', 'usage', 'refund', 'adjustment'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export interface LedgerEntry {
  id: bigint;
  userId: string;
  kind: EntryKind;
  /** Signed: credits are positive, usage and refunds negative. */
  amount: MicroCredits;
  balanceAfter: MicroCredits;
  sessionId: string | null;
  paymentId: string | null;
  idempotencyKey: string;
  description: string;
  metadata: Record<string, unknown>;
  createdAt: Date;
}

export interface LedgerEntryRow {
  id: bigint;
  user_id: string;
  kind: EntryKind;
  amount: bigint;
  balance_after: bigint;
  session_id: string | null;
  payment_id: string | null;
  idempotency_key: string;
  description: string;
  metadata: Record<string, unknown>;
  created_at: Date;
}

export function entryFromRow(row: LedgerEntryRow): LedgerEntry {
  return {
    id: row.id,
    userId: row.user_id,
    kind: row.kind,
    amount: row.amount,
    balanceAfter: row.balance_after,
    sessionId: row.session_id,
    paymentId: row.payment_id,
    idempotencyKey: row.idempotency_key,
    description: row.description,
    metadata: row.metadata,
    createdAt: row.created_at,
  };
}
