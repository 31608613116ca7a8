import type { TransactionsResponse, TransactionView } from '../../../shared/api/credits.ts';
import { formatCredits } from '../../../shared/money.ts';

// A usage line is a whole session: how long it was served, where, and its traffic.
const COLUMNS = [
  'date',
  'kind',
  'description',
  'amount',
  'balance_after',
  'session_id',
  'payment_id',
  'id',
  'duration_seconds',
  'location',
  'bytes_up',
  'bytes_down',
] as const;

/** One RFC 4180 field: quoted when it holds a comma, a quote or a line break, quotes doubled. */
function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function row(transaction: TransactionView): string[] {
  return [
    transaction.created_at,
    transaction.kind,
    transaction.description,
    // Exact credits from the integers, never the rounded display numbers.
    formatCredits(BigInt(transaction.amount_micro), 2),
    formatCredits(BigInt(transaction.balance_after_micro), 2),
    transaction.session_id ?? '',
    transaction.payment_id ?? '',
    transaction.id,
    ...(transaction.session
      ? [
          String(transaction.session.duration_seconds),
          Object.values(transaction.session.location).join(' / '),
          String(transaction.session.bytes_up),
          String(transaction.session.bytes_down),
        ]
      : ['', '', '', '']),
  ];
}

/** Transactions as RFC 4180 CSV: a header line, CRLF line ends, newest first as given. */
export function transactionsCsv(transactions: readonly TransactionView[]): string {
  return (
    [COLUMNS as readonly string[], ...transactions.map(row)].map((cells) => cells.map(field).join(',')).join('\r\n') +
    '\r\n'
  );
}

/** Every transaction of the account (optionally of one kind), following the service's cursors to the last page. */
export async function allTransactions(
  page: (query: { limit: number; cursor?: string; kind?: TransactionView['kind'] }) => Promise<TransactionsResponse>,
  kind?: TransactionView['kind'],
): Promise<TransactionView[]> {
  const all: TransactionView[] = [];
  let cursor: string | undefined;
  do {
    const answer = await page({ limit: 200, ...(cursor ? { cursor } : {}), ...(kind ? { kind } : {}) });
    all.push(...answer.transactions);
    cursor = answer.next_cursor ?? undefined;
  } while (cursor);
  return all;
}
