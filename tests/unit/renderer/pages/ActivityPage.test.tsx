import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { fakeBridge, refuse } from '../support/fake-bridge.ts';
import * as fixtures from '../support/fixtures.ts';
import { renderApp } from '../support/render-app.tsx';

afterEach(() => vi.restoreAllMocks());

const rows = () => screen.queryAllByTestId('transaction-row');

describe('Activity page', () => {
  test('transactions page by page with Load more, until the last page', async () => {
    const fake = fakeBridge({
      'credits.transactions': (query) =>
        query?.cursor === '3'
          ? { transactions: [fixtures.transaction(2), fixtures.transaction(1, 'purchase')], next_cursor: null }
          : { transactions: [fixtures.transaction(4), fixtures.transaction(3)], next_cursor: '3' },
    });
    await renderApp('activity', fake);
    await vi.waitFor(() => expect(rows()).toHaveLength(2));
    expect(rows()[0]!.textContent).toContain('usage #4');
    expect(rows()[0]!.textContent).toContain('Usage');
    expect(rows()[0]!.textContent).toContain('-$0.01');
    expect(within(rows()[0]!).getByTitle('-$0.0125')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await vi.waitFor(() => expect(rows()).toHaveLength(4));
    expect(fake.callsTo('credits.transactions')).toEqual([{ limit: 50 }, { limit: 50, cursor: '3' }]);
    expect(rows()[3]!.dataset.kind).toBe('purchase');
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  test('filter by kind asks for that kind only, and says when there are none', async () => {
    const fake = fakeBridge({
      'credits.transactions': (query) => ({
        transactions: query?.kind === 'refund' ? [] : [fixtures.transaction(1)],
        next_cursor: null,
      }),
    });
    await renderApp('activity', fake);
    await vi.waitFor(() => expect(rows()).toHaveLength(1));
    await userEvent.selectOptions(screen.getByTestId('transaction-kind'), 'refund');
    expect(await screen.findByText('No refund transactions yet.')).toBeTruthy();
    expect(fake.callsTo('credits.transactions').at(-1)).toEqual({ limit: 50, kind: 'refund' });
    expect(rows()).toHaveLength(0);
  });

  test('CSV export of the chosen kind downloads a file', async () => {
    const created: Blob[] = [];
    URL.createObjectURL = vi.fn((blob: Blob) => {
      created.push(blob);
      return 'blob:csv';
    });
    URL.revokeObjectURL = vi.fn();
    const clicked: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    const fake = fakeBridge({
      'credits.exportCsv': (query) => ({ filename: `atlantic-${query.kind ?? 'all'}.csv`, csv: 'id,kind\n1,usage\n' }),
    });
    await renderApp('activity', fake);
    await userEvent.selectOptions(screen.getByTestId('transaction-kind'), 'usage');
    await userEvent.click(screen.getByTestId('export-csv'));
    await vi.waitFor(() => expect(clicked).toHaveLength(1));
    expect(fake.callsTo('credits.exportCsv')).toEqual([{ kind: 'usage' }]);
    expect(clicked[0]!.download).toBe('atlantic-usage.csv');
    expect(await created[0]!.text()).toBe('id,kind\n1,usage\n');
    expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:csv');
  });

  test('a failed export says so', async () => {
    const fake = fakeBridge({
      'credits.exportCsv': refuse('offline', 'billing service unreachable'),
    });
    await renderApp('activity', fake);
    await userEvent.click(screen.getByTestId('export-csv'));
    expect((await screen.findByText(/Export failed/)).textContent).toContain('billing service unreachable');
  });

  test('transactions: empty, and an error with retry', async () => {
    const fake = fakeBridge({
      'credits.transactions': refuse('offline', 'cannot list transactions'),
    });
    await renderApp('activity', fake);
    const alert = await screen.findByText('cannot list transactions');
    fake.handle('credits.transactions', () => ({ transactions: [], next_cursor: null }));
    await userEvent.click(
      within(alert.closest('[role="alert"]') as HTMLElement).getByRole('button', { name: 'Try again' }),
    );
    expect(await screen.findByText('No transactions yet. Buy credits to get started.')).toBeTruthy();
  });

  test('sessions with location, duration, cost and why they ended', async () => {
    const fake = fakeBridge({
      'proxy.sessions': () => ({
        sessions: [
          fixtures.session(),
          fixtures.session({
            id: '00000000-0000-4000-8000-0000000000ab',
            status: 'ended',
            targeting: { country: 'de', state: 'Berlin' },
            duration_seconds: 3900,
            cost_micro: 920_833,
            end_reason: 'insufficient_credits',
          }),
        ],
      }),
    });
    await renderApp('activity', fake);
    const sessionRows = await screen.findAllByTestId('session-row');
    expect(sessionRows).toHaveLength(2);
    expect(sessionRows[0]!.textContent).toContain('Live now');
    expect(sessionRows[1]!.textContent).toContain('Berlin, Germany');
    expect(sessionRows[1]!.textContent).toContain('1 h 5 min');
    expect(within(sessionRows[1]!).getByTestId('session-row-cost').textContent).toBe('$0.92');
    expect(within(sessionRows[1]!).getByTestId('session-row-cost').getAttribute('title')).toBe('$0.920833');
    expect(sessionRows[1]!.textContent).toContain('Your credits ran out.');
  });

  test('sessions: none yet', async () => {
    await renderApp('activity');
    expect(await screen.findByText('No sessions yet. Connect from Locations to start one.')).toBeTruthy();
  });

  test('sessions: a failed load shows the error', async () => {
    const fake = fakeBridge({
      'proxy.sessions': refuse('offline', 'cannot list sessions'),
    });
    await renderApp('activity', fake);
    expect(await screen.findByText('cannot list sessions')).toBeTruthy();
  });
});
