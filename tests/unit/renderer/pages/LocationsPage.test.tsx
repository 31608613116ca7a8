import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import { describeEndReason } from '../../../../shared/session-end.ts';
import { fakeBridge, held, refuse } from '../support/fake-bridge.ts';
import * as fixtures from '../support/fixtures.ts';
import { renderApp } from '../support/render-app.tsx';

const withBalance = (micro: number) =>
  fakeBridge({ 'app.state': () => fixtures.appState({ wallet: fixtures.snapshot(micro) }) });

const select = (field: string) => screen.getByTestId(`select-${field}`) as HTMLSelectElement;
const optionLabels = (field: string) => Array.from(select(field).options).map((o) => o.textContent);
const connectButton = () => screen.getByTestId('connect') as HTMLButtonElement;

async function openLocations(fake = withBalance(27_000_000)) {
  const view = await renderApp('locations', fake);
  await screen.findByTestId('selector-country');
  return view;
}

describe('Locations page', () => {
  test('an empty wallet: city, state and ISP locked with price, balance and Add credits; Connect disabled', async () => {
    await openLocations(withBalance(0));
    expect(screen.getByTestId('exit').textContent).toBe('Exit: this machine (direct)');
    expect(select('country').value).toBe('us');
    for (const field of ['state', 'city', 'isp']) {
      expect(screen.getByTestId(`selector-${field}`).dataset.locked).toBe('true');
      expect(select(field).disabled).toBe(true);
    }
    expect(screen.getByTestId('selector-country').dataset.locked).toBe('false');
    expect(screen.getByTestId('lock-city').textContent).toContain('0.75/h needs a balance of 0.75; yours is 0.00.');
    expect(screen.getByTestId('lock-isp').textContent).toContain('1.00/h needs a balance of 1.00');
    expect(connectButton().textContent).toBe('Connect · 0.50/h');
    expect(connectButton().disabled).toBe(true);
    expect(screen.getByTestId('connect-hint').textContent).toContain('needs a balance of 0.50');
    await userEvent.click(within(screen.getByTestId('lock-city')).getByRole('button', { name: 'Add credits' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Buy credits' })).toBeTruthy();
  });

  test('a balance between tiers unlocks city but not state or ISP', async () => {
    await openLocations(withBalance(800_000));
    expect(screen.queryByTestId('lock-city')).toBeNull();
    expect(screen.getByTestId('lock-state')).toBeTruthy();
    expect(screen.getByTestId('lock-isp')).toBeTruthy();
  });

  test('the Connect label follows the priciest tier of the choice; a new state narrows the cities', async () => {
    await openLocations();
    expect(connectButton().textContent).toBe('Connect · 0.50/h');
    await userEvent.selectOptions(select('city'), 'Buffalo');
    expect(connectButton().textContent).toBe('Connect · 0.75/h');
    await userEvent.selectOptions(select('isp'), 'Comcast');
    expect(connectButton().textContent).toBe('Connect · 1.00/h');
    await userEvent.selectOptions(select('isp'), '');
    await userEvent.selectOptions(select('state'), 'California');
    expect(select('city').value).toBe('');
    expect(optionLabels('city')).toEqual(['Any city', 'Los Angeles', 'San Francisco']);
    expect(connectButton().textContent).toBe('Connect · 0.85/h');
    await userEvent.selectOptions(select('country'), 'de');
    expect(select('state').value).toBe('');
    expect(optionLabels('isp')).toEqual(['Any ISP', 'Telekom']);
  });

  test('each list is searchable', async () => {
    await openLocations();
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search city' }), 'buf');
    expect(optionLabels('city')).toEqual(['Any city', 'Buffalo']);
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search country' }), 'germ');
    // The current choice stays listed so the select never loses its value.
    expect(optionLabels('country')).toEqual(['United States', 'Germany']);
  });

  test('Connect sends the choice; connected shows the place and Disconnect, which disconnects', async () => {
    const { fake } = await openLocations();
    await userEvent.selectOptions(select('city'), 'New York');
    await userEvent.click(connectButton());
    expect(fake.callsTo('connection.connect')).toEqual([{ country: 'us', city: 'New York' }]);
    expect((await screen.findByTestId('connection-status')).textContent).toBe('Connected · US · New York');
    await userEvent.click(screen.getByTestId('disconnect'));
    expect(fake.callsTo('connection.disconnect')).toHaveLength(1);
    expect(screen.getByTestId('connection-status').textContent).toBe('Disconnected');
    expect(screen.getByTestId('connect')).toBeTruthy();
  });

  test('a location changed while connected offers Reconnect, which reconnects there in one action', async () => {
    const { fake } = await openLocations();
    await userEvent.selectOptions(select('city'), 'New York');
    await userEvent.click(connectButton());
    await screen.findByTestId('disconnect');
    expect(screen.queryByTestId('reconnect')).toBeNull();
    await userEvent.selectOptions(select('city'), 'Buffalo');
    const reconnect = screen.getByTestId('reconnect') as HTMLButtonElement;
    expect(reconnect.textContent).toBe('Reconnect to US · Buffalo · 0.75/h');
    expect(screen.getByTestId('reconnect-hint').textContent).toContain('charged to the second');
    await userEvent.click(reconnect);
    expect(fake.callsTo('connection.reconnect')).toEqual([{ country: 'us', city: 'Buffalo' }]);
    expect(fake.callsTo('connection.connect')).toHaveLength(1);
    expect((await screen.findByTestId('connection-status')).textContent).toBe('Connected · US · Buffalo');
    expect(screen.queryByTestId('reconnect')).toBeNull();
  });

  test('a refused Connect shows the core’s message', async () => {
    const fake = withBalance(27_000_000);
    fake.handle(
      'connection.connect',
      refuse('insufficient_credits', 'You need at least 0.75 credits to connect with a city.'),
    );
    await openLocations(fake);
    await userEvent.click(connectButton());
    expect((await screen.findByTestId('connection-problem')).textContent).toBe(
      'You need at least 0.75 credits to connect with a city.',
    );
  });

  test('reconnecting is shown while the core retries', async () => {
    const { fake } = await openLocations();
    act(() =>
      fake.emit('connection.changed', {
        status: 'connecting',
        targeting: { country: 'us' },
        reconnecting: true,
        attempt: 2,
        problem: { code: 'network', message: 'The billing service is unreachable.' },
      }),
    );
    expect(screen.getByTestId('connection-status').textContent).toBe('Connection lost, reconnecting (attempt 2)…');
    expect(screen.getByTestId('connection-problem').textContent).toBe('The billing service is unreachable.');
    expect(screen.getByTestId('disconnect')).toBeTruthy();
  });

  test('a session ended by running out of credits says so prominently, and the tiers lock again', async () => {
    const { fake } = await openLocations();
    act(() => {
      fake.emit('connection.changed', {
        status: 'ended',
        reason: 'insufficient_credits',
        message: describeEndReason('insufficient_credits'),
        session: fixtures.session({ status: 'ended', end_reason: 'insufficient_credits' }),
      });
      fake.emit('wallet.changed', fixtures.snapshot(0));
    });
    const ended = screen.getByTestId('session-end-message');
    expect(ended.getAttribute('role')).toBe('alert');
    expect(ended.textContent).toContain('Your credits ran out.');
    expect(screen.getByTestId('lock-city')).toBeTruthy();
    expect(within(ended).getByRole('button', { name: 'Add credits' })).toBeTruthy();
  });

  test('the local proxy addresses, each with a copy button', async () => {
    const user = userEvent.setup();
    await openLocations();
    expect((screen.getByTestId('proxy-http') as HTMLInputElement).value).toBe('http://127.0.0.1:8899');
    expect((screen.getByTestId('proxy-socks') as HTMLInputElement).value).toBe('socks5://127.0.0.1:8899');
    await user.click(screen.getByRole('button', { name: 'Copy SOCKS5 proxy address' }));
    expect(await navigator.clipboard.readText()).toBe('socks5://127.0.0.1:8899');
    await user.click(screen.getByRole('button', { name: 'Copy HTTP proxy address' }));
    expect(await navigator.clipboard.readText()).toBe('http://127.0.0.1:8899');
  });

  test('a local proxy that could not start says why instead of an address', async () => {
    const info = fixtures.info();
    info.local_proxy.problem = { code: 'port_in_use', message: 'Port 8899 is in use.' };
    await openLocations(fakeBridge({ 'app.state': () => fixtures.appState({ info }) }));
    expect(screen.getByTestId('proxy-problem').textContent).toContain('Port 8899 is in use.');
    expect(screen.queryByTestId('proxy-http')).toBeNull();
  });

  test('starts from the last location when the catalog still offers it', async () => {
    const state = fixtures.appState({
      settings: fixtures.settings({ last_location: { country: 'us', state: 'New York', city: 'Buffalo' } }),
    });
    await openLocations(fakeBridge({ 'app.state': () => state }));
    expect(select('state').value).toBe('New York');
    expect(select('city').value).toBe('Buffalo');
    expect(connectButton().textContent).toBe('Connect · 0.85/h');
  });

  test('loading, an error with retry, and an empty catalog', async () => {
    const answer = held<never>();
    const fake = fakeBridge({ 'locations.list': answer.handler });
    await renderApp('locations', fake);
    expect(screen.getByText('Loading locations…')).toBeTruthy();
    await act(async () => answer.fail('offline', 'billing service unreachable'));
    expect((await screen.findByRole('alert')).textContent).toContain('billing service unreachable');
    fake.handle('locations.list', () => fixtures.locationsResponse({ countries: [] }));
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('No locations are on offer right now.')).toBeTruthy();
    expect(connectButton().disabled).toBe(true);
  });
});
