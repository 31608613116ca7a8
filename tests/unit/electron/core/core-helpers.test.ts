import { afterEach, describe, expect, it, vi } from 'vitest';
import { isAllowedCheckout } from '../../../../electron/core/app/checkout-allow-list.ts';
import { connectionView } from '../../../../electron/core/app/connection-view.ts';
import { PaymentWatcher } from '../../../../electron/core/app/payment-watcher.ts';
import { allTransactions, transactionsCsv } from '../../../../electron/core/app/transactions-csv.ts';
import type { PaymentView, TransactionView } from '../../../../shared/api/credits.ts';
import type { SessionView } from '../../../../shared/api/proxy.ts';

describe('checkout allow-list', () => {
  const allow = { billingOrigin: 'http://127.0.0.1:8787', extraHosts: ['pay.example.com'] };
  it.each([
    ['http://127.0.0.1:8787/sandbox/checkout/abc', true],
    ['https://checkout.paystack.com/0peioxfhpn', true],
    ['https://pay.example.com/i/123', true],
    ['http://127.0.0.1:8788/sandbox/checkout/abc', false],
    ['http://checkout.paystack.com/x', false],
    ['https://checkout.paystack.com.evil.example/x', false],
    ['https://user:pw@checkout.paystack.com/x', false],
    ['http://evil.example/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
  ])('%s → %s', (url, allowed) => {
    expect(isAllowedCheckout(url, allow)).toBe(allowed);
  });
});

describe('connection view', () => {
  const session = { id: 's' } as SessionView;
  const gateway = { host: '127.0.0.1', port: 8788, username: 's', password: 'secret' };
  it('never carries the gateway credentials', () => {
    const connected = connectionView({ status: 'connected', targeting: { country: 'us' }, session, gateway });
    expect(connected).toEqual({ status: 'connected', targeting: { country: 'us' }, session });
    const reconnecting = connectionView({
      status: 'connecting',
      reconnecting: true,
      targeting: { country: 'us' },
      session,
      gateway,
      attempt: 2,
      retryInMs: 2000,
      problem: { code: 'network', message: 'offline' },
    });
    expect(JSON.stringify(reconnecting)).not.toContain('secret');
    expect(reconnecting).toMatchObject({ attempt: 2, retry_in_ms: 2000, reconnecting: true });
  });
});

const tx = (id: string, description: string, amountMicro: number): TransactionView => ({
  id,
  kind: 'usage',
  amount: amountMicro / 1e6,
  amount_micro: amountMicro,
  balance_after: 26.9875,
  balance_after_micro: 26_987_500,
  description,
  session_id: null,
  payment_id: null,
  created_at: '2026-01-01T12:01:00.000Z',
});

describe('transactions CSV (RFC 4180)', () => {
  it('header, CRLF line ends, exact amounts, and quoting of commas, quotes and line breaks', () => {
    const csv = transactionsCsv([tx('2', 'Proxy usage, city "New York"', -12_500), tx('1', 'two\nlines', 27_000_000)]);
    expect(csv).toBe(
      'date,kind,description,amount,balance_after,session_id,payment_id,id,duration_seconds,location,bytes_up,bytes_down\r\n' +
        '2026-01-01T12:01:00.000Z,usage,"Proxy usage, city ""New York""",-0.0125,26.9875,,,2,,,,\r\n' +
        '2026-01-01T12:01:00.000Z,usage,"two\nlines",27.00,26.9875,,,1,,,,\r\n',
    );
  });

  it('a usage line is a whole session: its duration, where and its traffic', () => {
    const session = {
      live: false,
      tier: 'city',
      location: { country: 'us', city: 'Boston' },
      duration_seconds: 12_000,
      bytes_up: 1_024,
      bytes_down: 2_048,
    };
    const csv = transactionsCsv([{ ...tx('9', 'Proxy usage', -2_500_000), session }]);
    expect(csv.split('\r\n')[1]).toBe(
      '2026-01-01T12:01:00.000Z,usage,Proxy usage,-2.50,26.9875,,,9,12000,us / Boston,1024,2048',
    );
  });

  it('pages through every transaction with the cursors, keeping the kind filter', async () => {
    const page = vi.fn(async (query: { cursor?: string }) =>
      query.cursor === undefined
        ? { transactions: [tx('3', 'a', 1), tx('2', 'b', 1)], next_cursor: '2' }
        : { transactions: [tx('1', 'c', 1)], next_cursor: null },
    );
    const all = await allTransactions(page, 'usage');
    expect(all.map((t) => t.id)).toEqual(['3', '2', '1']);
    expect(page).toHaveBeenNthCalledWith(1, { limit: 200, kind: 'usage' });
    expect(page).toHaveBeenNthCalledWith(2, { limit: 200, cursor: '2', kind: 'usage' });
  });
});

describe('payment watcher (fake timers)', () => {
  afterEach(() => vi.useRealTimers());
  const pending = { payment_id: 'p1', status: 'pending' } as PaymentView;

  it('polls a pending payment until it settles, telling each change, then stops', async () => {
    vi.useFakeTimers();
    const answers: PaymentView['status'][] = ['pending', 'pending', 'paid'];
    const payment = vi.fn(async () => ({ ...pending, status: answers.shift() ?? 'paid' }));
    const changes: string[] = [];
    const watcher = new PaymentWatcher({ payment, onChange: (p) => changes.push(p.status), intervalMs: 1000 });
    watcher.watch(pending);
    watcher.watch(pending); // the same payment is watched once
    await vi.advanceTimersByTimeAsync(10_000);
    expect(payment).toHaveBeenCalledTimes(3);
    expect(changes).toEqual(['paid']);
  });

  it('keeps watching through a failed poll, and gives up after its limit', async () => {
    vi.useFakeTimers();
    const payment = vi.fn(async () => {
      throw new Error('offline');
    });
    const watcher = new PaymentWatcher({ payment, onChange: () => undefined, intervalMs: 1000, maxWatchMs: 5000 });
    watcher.watch(pending);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(payment).toHaveBeenCalledTimes(5);
  });
});
