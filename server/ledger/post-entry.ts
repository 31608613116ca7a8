import { instant } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { isUuid } from '../../shared/ids.ts';
import { toMicroCredits, type MicroCredits } from '../../shared/money.ts';
import type { Queryable } from '../db/types.ts';
import { ENTRY_KINDS, entryFromRow, type EntryKind, type LedgerEntry, type LedgerEntryRow } from './entries.ts';
import { postMoves } from './post-moves.ts';
import { announceWalletChanges } from './wallet-changes.ts';
import { lockWallet } from './wallets.ts';

export interface EntryInput {
  userId: string;
  kind: EntryKind;
  /** Signed µcr: positive credits the wallet, negative debits it. */
  amount: MicroCredits;
  /** The same key applies once; reused with different parameters it is refused. */
  idempotencyKey: string;
  description?: string;
  metadata?: Record<string, unknown>;
  sessionId?: string | null;
  paymentId?: string | null;
  /** When the entry happened (the injected clock); the database's clock otherwise. */
  at?: number;
  /**
   * For debits: take what the balance holds instead of refusing with
   * `insufficient_credits` (refund claw-backs, the last charge of a session).
   */
  clampToBalance?: boolean;
}

export interface PostResult {
  /** Null when a clamped debit found nothing to take. */
  entry: LedgerEntry | null;
  /** True when the key had been applied before and this is its first result. */
  replayed: boolean;
  /** What a clamped debit could not take. */
  shortfall: MicroCredits;
}

const CREDIT_ONLY: ReadonlySet<EntryKind> = new Set(['purchase', 'bonus']);
const DEBIT_ONLY: ReadonlySet<EntryKind> = new Set(['usage', 'refund']);

function checkInput(input: EntryInput): MicroCredits {
  if (!isUuid(input.userId)) throw new AppError('unknown_user', 'no such user');
  if (!ENTRY_KINDS.includes(input.kind))
    throw new AppError('invalid_input', `unknown entry kind ${String(input.kind)}`);
  const amount = toMicroCredits(input.amount);
  if (amount === 0n) throw new AppError('invalid_amount', 'an entry must move a non-zero amount');
  if (CREDIT_ONLY.has(input.kind) && amount < 0n)
    throw new AppError('invalid_amount', `${input.kind} must be positive`);
  if (DEBIT_ONLY.has(input.kind) && amount > 0n) throw new AppError('invalid_amount', `${input.kind} must be negative`);
  if (CREDIT_ONLY.has(input.kind) && input.paymentId == null) {
    throw new AppError('invalid_input', `a ${input.kind} entry must name its payment`);
  }
  if (input.kind === 'usage' && input.sessionId == null)
    throw new AppError('invalid_input', 'usage must name its session');
  const key = input.idempotencyKey;
  if (typeof key !== 'string' || key.length === 0 || key.length > 200) {
    throw new AppError('invalid_input', 'an idempotency key of 1 to 200 characters is required');
  }
  for (const [name, id] of [
    ['sessionId', input.sessionId],
    ['paymentId', input.paymentId],
  ] as const) {
    if (id != null && !isUuid(id)) throw new AppError('invalid_input', `${name} must be a uuid`);
  }
  if (input.at !== undefined) instant(input.at, 'at');
  return amount;
}

/** The parameters a key is bound to; a replay must match them exactly. */
function sameRequest(existing: LedgerEntryRow, input: EntryInput, amount: MicroCredits): boolean {
  const requested = existing.metadata.requested_amount ?? existing.amount.toString();
  return (
    existing.kind === input.kind &&
    requested === amount.toString() &&
    existing.session_id === (input.sessionId ?? null) &&
    existing.payment_id === (input.paymentId ?? null)
  );
}

/** An entry may only point at the user's own payment or session. */
async function checkReferences(tx: Queryable, input: EntryInput): Promise<void> {
  const { rows } = await tx.query<{ payment_ok: boolean; session_ok: boolean }>(
    `SELECT ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM payments WHERE id = $2 AND user_id = $1)) AS payment_ok,
            ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM proxy_sessions WHERE id = $3 AND user_id = $1)) AS session_ok`,
    [input.userId, input.paymentId ?? null, input.sessionId ?? null],
  );
  if (!rows[0]!.payment_ok) throw new AppError('unknown_payment', 'no such payment for this user');
  if (!rows[0]!.session_ok) throw new AppError('unknown_session', 'no such session for this user');
}

/**
 * Appends one entry and moves the wallet with it. Call inside a transaction:
 * the wallet row is locked first, so concurrent posts to one wallet serialise.
 */
export async function postEntry(tx: Queryable, input: EntryInput): Promise<PostResult> {
  const amount = checkInput(input);
  const balance = await lockWallet(tx, input.userId);

  const previous = await tx.query<LedgerEntryRow>(
    'SELECT * FROM ledger_entries WHERE user_id = $1 AND idempotency_key = $2',
    [input.userId, input.idempotencyKey],
  );
  const first = previous.rows[0];
  if (first) {
    if (!sameRequest(first, input, amount)) {
      throw new AppError('idempotency_conflict', `key ${input.idempotencyKey} was used for a different operation`);
    }
    const requested = BigInt(String(first.metadata.requested_amount ?? first.amount));
    return { entry: entryFromRow(first), replayed: true, shortfall: first.amount - requested };
  }

  await checkReferences(tx, input);

  let applied = amount;
  if (balance + amount < 0n) {
    if (!input.clampToBalance) {
      throw new AppError('insufficient_credits', 'the balance does not cover this debit', {
        needed: Number(-amount),
        balance: Number(balance),
      });
    }
    applied = -balance;
  }
  const shortfall = applied - amount;
  if (applied === 0n) return { entry: null, replayed: false, shortfall };

  const metadata = {
    ...input.metadata,
    ...(applied !== amount && { requested_amount: amount.toString() }),
    // A credit's balance_after is the posted balance, which runs ahead of what the user holds while
    // live sessions' usage is unposted; what they held right after it (auto top-up reads it) is this.
    ...(applied > 0n && { balance_available: (balance + applied).toString() }),
  };
  await postMoves(
    tx,
    [
      {
        userId: input.userId,
        kind: input.kind,
        amount: applied,
        post: true,
        sessionId: input.sessionId ?? null,
        paymentId: input.paymentId ?? null,
        idempotencyKey: input.idempotencyKey,
        description: input.description ?? '',
        metadata,
      },
    ],
    input.at,
  );
  const inserted = await tx.query<LedgerEntryRow>(
    'SELECT * FROM ledger_entries WHERE user_id = $1 AND idempotency_key = $2',
    [input.userId, input.idempotencyKey],
  );
  await announceWalletChanges(tx, [input.userId]);
  return { entry: entryFromRow(inserted.rows[0]!), replayed: false, shortfall };
}
