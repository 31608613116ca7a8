import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test, vi } from 'vitest';
import { describeEndReason } from '../../../../shared/session-end.ts';
import type { WalletSnapshot } from '../../../../shared/ipc/views.ts';
import { reportCoreLink } from '../../../../renderer/bridge/link-status.ts';
import { fakeBridge } from '../support/fake-bridge.ts';
import * as fixtures from '../support/fixtures.ts';
import { renderApp } from '../support/render-app.tsx';

vi.mock('../../../../renderer/charts/usage-chart.ts', () => ({
  drawUsageChart: () => ({ update: () => {}, destroy: () => {} }),
}));

const text = (testId: string) => screen.getByTestId(testId).textContent;
const BASE = Date.now();
const at = (seconds: number) => new Date(BASE + seconds * 1000).toISOString();

/** A wallet with a live ISP session at 1.00/h that has moved `up`/`down` bytes by `seconds` after the base snapshot. */
function liveWallet(seconds: number, up: number, down: number): WalletSnapshot {
  const base = fixtures.snapshot(27_000_000);
  return {
    ...base,
    balance: {
      ...base.balance!,
      active_sessions: 1,
      burn_rate_per_hour: 1,
      burn_rate_per_hour_micro: 1_000_000,
      seconds_remaining_at_current_rate: 27 * 3600,
    },
    active_session: fixtures.session({
      tier: 'isp',
      rate_per_hour: 1,
      rate_per_hour_micro: 1_000_000,
      targeting: { country: 'us', isp: 'Comcast' },
      bytes_up: up,
      bytes_down: down,
    }),
    fetched_at: at(seconds),
  };
}

describe('status header, on every page', () => {
  test('each page has its own title, and the header is on each of them', async () => {
    await renderApp('wallet');
    for (const [nav, title] of [
      ['nav-buy', 'Buy credits · Atlantic Proxy'],
      ['nav-locations', 'Locations · Atlantic Proxy'],
      ['nav-activity', 'Activity · Atlantic Proxy'],
      ['nav-settings', 'Settings · Atlantic Proxy'],
      ['nav-wallet', 'Wallet · Atlantic Proxy'],
    ] as const) {
      await userEvent.click(screen.getByTestId(nav));
      await waitFor(() => expect(document.title).toBe(title));
      expect(screen.getByRole('banner', { name: 'Connection status' })).toBeTruthy();
      expect(text('status-balance')).toBe('$27.00');
    }
  });

  test('disconnected: grey, the next place in words, its rate on Connect, and how long the balance lasts at it', async () => {
    const state = fixtures.appState({
      settings: fixtures.settings({ last_location: { country: 'us', city: 'Buffalo' } }),
    });
    await renderApp('wallet', fakeBridge({ 'app.state': () => state }));
    await waitFor(() => expect(text('status-location')).toBe('Next: Buffalo, New York, United States'));
    expect(screen.getByRole('banner', { name: 'Connection status' }).dataset.status).toBe('disconnected');
    expect(text('connect')).toBe('Connect · $0.75/hour');
    expect(text('status-time-left')).toBe('36 h 0 min at $0.75/hour');
    expect(screen.getByTestId('status-balance').querySelector('[title]')!.getAttribute('title')).toBe('$27.00');
  });

  test('connected: green in header and sidebar, live speed from the synced byte counts, time left at the burn rate', async () => {
    const { fake } = await renderApp('activity');
    await waitFor(() => expect(screen.getByTestId('connect')).toBeTruthy());
    await userEvent.click(screen.getByTestId('connect'));
    expect(text('connection-status')).toBe('Connected');
    expect(screen.getByRole('banner', { name: 'Connection status' }).dataset.status).toBe('connected');
    expect(screen.getByTestId('sidebar-status').dataset.status).toBe('connected');
    act(() => fake.emit('wallet.changed', liveWallet(0, 1000, 10_000)));
    expect(text('status-speed')).toBe('measuring…');
    act(() => fake.emit('wallet.changed', liveWallet(5, 1000 + 5 * 2048, 10_000 + 5 * 1024 * 1024)));
    expect(text('status-speed')).toBe('↑ 2.0 KB/s · ↓ 1.0 MB/s');
    expect(text('status-time-left')).toMatch(/^2[67] h \d+ min at \$1\.00\/hour$/);
    // The wallet's headline follows the session's rate too, not the city tier.
    await userEvent.click(screen.getByTestId('nav-wallet'));
    expect((await screen.findByTestId('hours-at-rate')).textContent).toBe('~27.0 hours at your session’s $1.00/hour');
    await userEvent.click(screen.getByTestId('disconnect'));
    expect(screen.queryByTestId('status-speed')).toBeNull();
  });

  test('credits ran out: one banner (the header says why), not two; buying makes it old news', async () => {
    const { fake } = await renderApp('wallet');
    act(() => {
      fake.emit('connection.changed', {
        status: 'ended',
        reason: 'insufficient_credits',
        message: describeEndReason('insufficient_credits'),
        session: fixtures.session({ status: 'ended', end_reason: 'insufficient_credits' }),
      });
      fake.emit('wallet.changed', fixtures.snapshot(0));
      fake.emit('app.notice', { kind: 'session_ended', title: 'Disconnected: out of credits', body: 'x' });
      fake.emit('app.notice', { kind: 'low_credit_5', title: '5 minutes of credit left', body: 'y' });
    });
    expect(screen.queryByText('5 minutes of credit left')).toBeNull();
    expect(screen.getByRole('banner', { name: 'Connection status' }).dataset.status).toBe('ended');
    expect(screen.getAllByText(/credits ran out|balance is empty|out of credits/i)).toHaveLength(1);
    expect(screen.queryByTestId('low-balance')).toBeNull();
    act(() => fake.emit('wallet.changed', fixtures.snapshot(27_000_000)));
    expect(screen.queryByTestId('session-end-message')).toBeNull();
    expect(text('sidebar-status')).toBe('Disconnected');
  });

  test('the usage chart follows spending mid-session, with no reload', async () => {
    const { fake } = await renderApp('wallet');
    expect(await screen.findByText('No credits spent in the last 30 days.')).toBeTruthy();
    fake.handle('credits.usage', () => ({ days: fixtures.usageDays(30, [{ day: 30, tier: 'city', micro: 12_500 }]) }));
    const spent = fixtures.snapshot(26_987_500);
    act(() => fake.emit('wallet.changed', { ...spent, balance: { ...spent.balance!, total_spent_micro: 12_500 } }));
    expect(await screen.findByTestId('usage-chart')).toBeTruthy();
    expect(screen.queryByText('No credits spent in the last 30 days.')).toBeNull();
    expect(fake.callsTo('credits.usage')).toHaveLength(2);
  });

  test('a lost core: the offline banner on the Wallet too, Connect disabled, the rest still readable', async () => {
    await renderApp('wallet');
    act(() => reportCoreLink(false));
    expect(text('offline-banner')).toContain('lost its connection to Atlantic Proxy');
    expect((screen.getByTestId('connect') as HTMLButtonElement).disabled).toBe(true);
    expect(text('balance')).toBe('$27.00');
    expect((screen.getByRole('button', { name: 'Add Credits' }) as HTMLButtonElement).disabled).toBe(false);
  });
});
