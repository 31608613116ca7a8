import type { PaymentView, TransactionView } from '../../shared/api/credits.ts';
import type { SessionView } from '../../shared/api/proxy.ts';
import type { SliceOf } from './app-store.ts';
import { atlantic } from './bridge-ref.ts';
import { loadInto, messageOf, notLoaded, type Loadable, type LoadStatus } from './loadable.ts';

export type TransactionKind = TransactionView['kind'];

export interface TransactionPages {
  status: LoadStatus;
  items: TransactionView[];
  nextCursor: string | null;
  kind: TransactionKind | null;
  error: string | null;
  loadingMore: boolean;
}

export interface ActivitySlice {
  transactions: TransactionPages;
  sessions: Loadable<SessionView[]>;
  payments: Loadable<PaymentView[]>;
  loadPayments(): Promise<void>;
  loadTransactions(kind?: TransactionKind | null): Promise<void>;
  loadMoreTransactions(): Promise<void>;
  exportTransactionsCsv(): Promise<{ filename: string; csv: string }>;
  loadSessions(): Promise<void>;
}

const PAGE = 50;

const noPages: TransactionPages = {
  status: 'idle',
  items: [],
  nextCursor: null,
  kind: null,
  error: null,
  loadingMore: false,
};

export const createActivitySlice: SliceOf<ActivitySlice> = (set, get) => {
  const fetchPage = (kind: TransactionKind | null, cursor: string | null) =>
    atlantic().credits.transactions({
      limit: PAGE,
      ...(kind ? { kind } : {}),
      ...(cursor ? { cursor } : {}),
    });

  return {
    transactions: noPages,
    sessions: notLoaded(),
    payments: notLoaded(),
    loadPayments: () =>
      loadInto(
        (next) => set((s) => ({ payments: next(s.payments) })),
        async () => (await atlantic().credits.payments({ limit: 50 })).payments,
      ),
    loadTransactions: async (kind = get().transactions.kind) => {
      set((s) => ({ transactions: { ...s.transactions, kind, status: 'loading', error: null } }));
      try {
        const page = await fetchPage(kind, null);
        // A newer filter may have been chosen while this page was on its way.
        if (get().transactions.kind !== kind) return;
        set({
          transactions: { ...noPages, kind, status: 'ready', items: page.transactions, nextCursor: page.next_cursor },
        });
      } catch (error) {
        if (get().transactions.kind !== kind) return;
        set((s) => ({ transactions: { ...s.transactions, status: 'error', error: messageOf(error) } }));
      }
    },
    loadMoreTransactions: async () => {
      const { kind, nextCursor, loadingMore } = get().transactions;
      if (!nextCursor || loadingMore) return;
      set((s) => ({ transactions: { ...s.transactions, loadingMore: true, error: null } }));
      try {
        const page = await fetchPage(kind, nextCursor);
        if (get().transactions.kind !== kind) return;
        set((s) => ({
          transactions: {
            ...s.transactions,
            items: [...s.transactions.items, ...page.transactions],
            nextCursor: page.next_cursor,
            loadingMore: false,
          },
        }));
      } catch (error) {
        set((s) => ({ transactions: { ...s.transactions, loadingMore: false, error: messageOf(error) } }));
      }
    },
    exportTransactionsCsv: () => {
      const kind = get().transactions.kind;
      return atlantic().credits.exportCsv(kind ? { kind } : {});
    },
    loadSessions: () =>
      loadInto(
        (next) => set((s) => ({ sessions: next(s.sessions) })),
        async () => (await atlantic().proxy.sessions({ limit: 100 })).sessions,
      ),
  };
};
