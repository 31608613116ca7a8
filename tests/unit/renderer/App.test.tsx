import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import { fakeBridge } from './support/fake-bridge.ts';
import * as fixtures from './support/fixtures.ts';
import { renderApp } from './support/render-app.tsx';

describe('App shell', () => {
  test('five pages in a labelled nav, reachable by keyboard, the current one marked', async () => {
    await renderApp('wallet');
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(nav.querySelectorAll('a')).toHaveLength(5);
    expect(screen.getByTestId('nav-wallet').getAttribute('aria-current')).toBe('page');
    await userEvent.tab();
    expect(document.activeElement).toBe(screen.getByTestId('nav-wallet'));
    await userEvent.tab();
    expect(document.activeElement).toBe(screen.getByTestId('nav-buy'));
    await userEvent.keyboard('{Enter}');
    expect(await screen.findByRole('heading', { level: 1, name: 'Buy credits' })).toBeTruthy();
    expect(screen.getByTestId('nav-buy').getAttribute('aria-current')).toBe('page');
    expect(document.activeElement?.tagName).toBe('MAIN');
  });

  test('an unknown address shows the wallet', async () => {
    window.location.hash = '#/nowhere';
    await renderApp('wallet');
    expect(screen.getByTestId('balance')).toBeTruthy();
  });

  test('notices from the core appear as banners while connected, one per kind, and can be dismissed', async () => {
    const live = fixtures.appState({
      connection: { status: 'connected', targeting: { country: 'us' }, session: fixtures.session() },
    });
    const { fake } = await renderApp('activity', fakeBridge({ 'app.state': () => live }));
    act(() => {
      fake.emit('app.notice', { kind: 'low_credit_15', title: '15 minutes left', body: 'Add credits soon.' });
      fake.emit('app.notice', { kind: 'low_credit_5', title: '5 minutes left', body: 'Add credits now.' });
      fake.emit('app.notice', { kind: 'low_credit_5', title: '5 minutes left', body: 'Add credits now!' });
    });
    expect(screen.getByTestId('notice-low_credit_15').textContent).toContain('15 minutes left');
    expect(screen.getAllByTestId('notice-low_credit_5')).toHaveLength(1);
    await userEvent.click(screen.getByRole('button', { name: 'Dismiss: 15 minutes left' }));
    expect(screen.queryByTestId('notice-low_credit_15')).toBeNull();
    // Disconnected, "minutes of credit left" is old news.
    act(() => fake.emit('connection.changed', { status: 'disconnected' }));
    expect(screen.queryByTestId('notice-low_credit_5')).toBeNull();
  });

  test('a session-ended notice is not repeated beside the session-ended banner', async () => {
    const { fake } = await renderApp('activity');
    const notice = {
      kind: 'session_ended',
      title: 'Disconnected: out of credits',
      body: 'Your credits ran out.',
    } as const;
    act(() => fake.emit('app.notice', notice));
    expect(screen.getByTestId('notice-session_ended')).toBeTruthy();
    act(() =>
      fake.emit('connection.changed', {
        status: 'ended',
        reason: 'insufficient_credits',
        message: 'Your credits ran out. Add credits and connect again.',
        session: null,
      }),
    );
    expect(screen.getByTestId('session-end-message').textContent).toContain('Your credits ran out');
    expect(screen.queryByTestId('notice-session_ended')).toBeNull();
  });

  test('app info pushed by the core updates the proxy address', async () => {
    const { fake } = await renderApp('locations');
    const info = fixtures.info();
    info.local_proxy = { ...info.local_proxy, port: 9100, http_url: 'http://127.0.0.1:9100' };
    act(() => fake.emit('app.infoChanged', info));
    expect((screen.getByTestId('proxy-http') as HTMLInputElement).value).toBe('http://127.0.0.1:9100');
  });

  test('unbinding stops applying the core’s events', async () => {
    const fake = fakeBridge();
    const { unbind } = await renderApp('wallet', fake);
    unbind();
    act(() => fake.emit('wallet.changed', fixtures.snapshot(1_000_000)));
    expect(screen.getByTestId('balance').textContent).toBe('$27.00');
  });
});
