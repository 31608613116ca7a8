import { useEffect, useState } from 'react';
import { downloadFile } from '../download.ts';
import * as format from '../format.ts';
import type { TransactionKind } from '../store/activity-slice.ts';
import { messageOf } from '../store/loadable.ts';
import { useAppStore } from '../store/app-store.ts';
import { Money } from './Money.tsx';
import { Empty, ErrorState, Loading } from './StatusMessages.tsx';

const KINDS: TransactionKind[] = ['purchase', 'bonus', 'usage', 'refund', 'adjustment'];

export function TransactionsSection() {
  const pages = useAppStore((s) => s.transactions);
  const { loadTransactions, loadMoreTransactions, exportTransactionsCsv } = useAppStore.getState();
  const [exportError, setExportError] = useState<string | null>(null);

  useEffect(() => {
    void loadTransactions();
  }, [loadTransactions]);

  const exportCsv = async () => {
    setExportError(null);
    try {
      const { filename, csv } = await exportTransactionsCsv();
      downloadFile(filename, csv, 'text/csv');
    } catch (error) {
      setExportError(messageOf(error));
    }
  };

  return (
    <section className="card" aria-labelledby="transactions-heading">
      <div className="section-head">
        <h2 id="transactions-heading">Transactions</h2>
        <label>
          Kind{' '}
          <select
            value={pages.kind ?? ''}
            onChange={(event) => void loadTransactions((event.target.value || null) as TransactionKind | null)}
            data-testid="transaction-kind"
          >
            <option value="">All</option>
            {KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {format.kindName(kind)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void exportCsv()} data-testid="export-csv">
          Export CSV
        </button>
      </div>
      {exportError && <ErrorState message={`Export failed: ${exportError}`} />}
      {pages.status === 'error' && <ErrorState message={pages.error ?? ''} onRetry={() => void loadTransactions()} />}
      {pages.status === 'loading' && <Loading what="transactions" />}
      {pages.status === 'ready' && pages.items.length === 0 && (
        <Empty>
          {pages.kind
            ? `No ${format.kindName(pages.kind).toLowerCase()} transactions yet.`
            : 'No transactions yet. Buy credits to get started.'}
        </Empty>
      )}
      {pages.items.length > 0 && pages.status !== 'loading' && (
        <table>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Kind</th>
              <th scope="col">Description</th>
              <th scope="col" className="num">
                Amount
              </th>
              <th scope="col" className="num">
                Balance after
              </th>
            </tr>
          </thead>
          <tbody>
            {pages.items.map((t) => (
              <tr key={t.id} data-testid="transaction-row" data-kind={t.kind}>
                <td>{format.dateTime(t.created_at)}</td>
                <td>{format.kindName(t.kind)}</td>
                <td>{format.description(t.description)}</td>
                <td className="num">
                  <Money micro={t.amount_micro} />
                </td>
                <td className="num">
                  <Money micro={t.balance_after_micro} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pages.status === 'ready' && pages.error && <ErrorState message={pages.error} />}
      {pages.status === 'ready' && pages.nextCursor && (
        <button type="button" disabled={pages.loadingMore} onClick={() => void loadMoreTransactions()}>
          {pages.loadingMore ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}
