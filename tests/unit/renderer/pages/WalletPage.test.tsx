import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test, vi } from 'vitest';
import { fakeBridge, held, refuse } from '../support/fake-bridge.ts';
import * as fixtures from '../support/fixtures.ts';
import { renderApp, renderBooting } from '../support/render-app.tsx';

const drawn = vi.hoisted(() => ({ calls: [] as unknown[][] }));
// jsdom has no canvas: the chart module is replaced; the text alternative is what these tests read.
vi.mock('../../../../renderer/charts/usage-chart.ts', () => ({
  drawUsageChart: (_canvas: unknown, days: unknown[]) => {
    drawn.calls.push(days);
    return { update: () => {}, destroy: () => {} };
  },
}));

const secondsAgo = (s: number) => new Date(Date.now() - s * 1000).toISOString();

describe('Wallet page', () => {
  test('balance card: balance, hours with city selection, hours per tier, Add Credits opens Buy', async () => {
    await renderApp('wallet');
    expect(screen.getByTestId('balance').textContent).toBe('$27.00');
    expect(screen.getByTestId('hours-with-city').textContent).toBe('~36.0 hours with city selection');
    expect(screen.getByTestId('hours-country').textContent).toContain('54.0 h');
    expect(screen.getByTestId('hours-isp').textContent).toContain('27.0 h');
    expect(screen.getByTestId('hours-city').textContent).toContain('$0.75/hour');
    expect(screen.queryByTestId('low-balance')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Add Credits' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Buy credits' })).toBeTruthy();
  });

  test('shows loading until app.state answers, then the balance', async () => {
    const answer = held<ReturnType<typeof fixtures.appState>>();
    const fake = fakeBridge({ 'app.state': answer.handler });
    renderBooting('wallet', fake);
    expect(screen.getByRole('status').textContent).toBe('Loading your wallet…');
    act(() => answer.release(fixtures.appState()));
    expect((await screen.findByTestId('balance')).textContent).toBe('$27.00');
  });

  test('a failed first call shows an error with a retry that recovers', async () => {
    const fake = fakeBridge({
      'app.state': refuse('internal_error', 'core not ready'),
    });
    renderBooting('wallet', fake);
    expect((await screen.findByRole('alert')).textContent).toContain('core not ready');
    fake.handle('app.state', () => fixtures.appState());
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect((await screen.findByTestId('balance')).textContent).toBe('$27.00');
  });

  test('offline: keeps the last balance and says how old it is', async () => {
    const wallet = fixtures.snapshot(27_000_000, {
      offline: true,
      fetched_at: secondsAgo(185),
      problem: { code: 'offline', message: 'connect ECONNREFUSED' },
    });
    await renderApp('wallet', fakeBridge({ 'app.state': () => fixtures.appState({ wallet }) }));
    expect(screen.getByTestId('offline-banner').textContent).toContain('Offline — showing balance from 3 min ago');
    expect(screen.getByTestId('balance').textContent).toBe('$27.00');
  });

  test('offline before any answer: no balance, and the banner says the service is unreachable', async () => {
    const wallet = { ...fixtures.snapshot(0), balance: null, features: null, fetched_at: null, offline: true };
    await renderApp('wallet', fakeBridge({ 'app.state': () => fixtures.appState({ wallet }) }));
    expect(screen.getByTestId('offline-banner').textContent).toContain('can’t be reached');
    expect(screen.queryByTestId('balance')).toBeNull();
  });

  test('low-balance banner under one hour at the city rate, gone after a top-up event', async () => {
    const { fake } = await renderApp(
      'wallet',
      fakeBridge({ 'app.state': () => fixtures.appState({ wallet: fixtures.snapshot(500_000) }) }),
    );
    expect(screen.getByTestId('low-balance').textContent).toContain('less than one hour left at $0.75/hour');
    act(() => fake.emit('wallet.changed', fixtures.snapshot(26_987_500)));
    // Two places on screen, never more credit than there is; the exact figure on hover.
    expect(screen.getByTestId('balance').textContent).toBe('$26.98');
    expect(screen.getByTestId('balance').getAttribute('title')).toBe('$26.9875');
    expect(screen.queryByTestId('low-balance')).toBeNull();
  });

  test('live session: location, rate, cost, traffic and a countdown that ticks every second', async () => {
    const wallet = fixtures.snapshot(27_000_000, {
      active_session: fixtures.session({ seconds_remaining: 3600 }),
      fetched_at: secondsAgo(10),
    });
    await renderApp('wallet', fakeBridge({ 'app.state': () => fixtures.appState({ wallet }) }));
    const card = screen.getByTestId('live-session');
    expect(within(card).getByTestId('session-location').textContent).toBe('New York, United States');
    expect(card.textContent).toContain('With city · $0.75/hour');
    expect(within(card).getByTestId('session-cost').textContent).toBe('$0.01');
    expect(card.textContent).toContain('↓ 3.0 MB');
    const left = within(card).getByTestId('session-time-left');
    expect(left.textContent).toMatch(/^59 min (50|49) s$/);
    const first = left.textContent;
    await waitFor(() => expect(left.textContent).not.toBe(first), { timeout: 2500 });
  });

  test('no live session: points to Locations', async () => {
    await renderApp('wallet');
    expect(screen.getByRole('link', { name: 'Choose a location' }).getAttribute('href')).toBe('#/locations');
  });

  test('usage: empty month says so and draws nothing', async () => {
    drawn.calls = [];
    await renderApp('wallet');
    expect(await screen.findByText('No credits spent in the last 30 days.')).toBeTruthy();
    expect(drawn.calls).toHaveLength(0);
  });

  test('usage: stacked chart with a text summary and a table of the days with spending', async () => {
    drawn.calls = [];
    const days = fixtures.usageDays(30, [
      { day: 29, tier: 'city', micro: 750_000 },
      { day: 30, tier: 'country', micro: 250_000 },
      { day: 30, tier: 'isp', micro: 1_000_000 },
    ]);
    await renderApp('wallet', fakeBridge({ 'credits.usage': () => ({ days }) }));
    const chart = await screen.findByTestId('usage-chart');
    expect(chart.getAttribute('aria-label')).toBe(
      'Credits spent per day, last 30 days: $2.00 in total; most on 2030-01-30: $1.25.',
    );
    const rows = within(screen.getByTestId('usage-table')).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(rows[2]!.textContent).toBe('2030-01-30$0.25$0.00$0.00$1.00$1.25');
    await waitFor(() => expect(drawn.calls).toHaveLength(1));
    expect(drawn.calls[0]).toHaveLength(30);
  });

  test('usage: a failed load shows an error and retries', async () => {
    const fake = fakeBridge({
      'credits.usage': refuse('offline', 'billing service unreachable'),
    });
    await renderApp('wallet', fake);
    expect((await screen.findByRole('alert')).textContent).toContain('billing service unreachable');
    fake.handle('credits.usage', () => ({ days: fixtures.usageDays(30, []) }));
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('No credits spent in the last 30 days.')).toBeTruthy();
  });
});
