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
    // The seed's locks, word for word, with what the balance holds.
    expect(screen.getByTestId('lock-city').textContent).toBe(
      '🔒 City selection requires $0.75/hour ($0.00 available) Add Credits',
    );
    expect(screen.getByTestId('lock-isp').textContent).toContain(
      '🔒 ISP selection requires $1.00/hour ($0.00 available)',
    );
    expect(connectButton().textContent).toBe('Connect · $0.50/hour');
    expect(connectButton().disabled).toBe(true);
    expect(screen.getByTestId('connect-hint').textContent).toContain('needs a balance of $0.50');
    await userEvent.click(within(screen.getByTestId('lock-city')).getByRole('button', { name: 'Add Credits' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Buy credits' })).toBeTruthy();
  });

  test('a balance between tiers unlocks city but not state or ISP', async () => {
    await openLocations(withBalance(800_000));
    expect(screen.queryByTestId('lock-city')).toBeNull();
    expect(screen.getByTestId('lock-state')).toBeTruthy();
    expect(screen.getByTestId('lock-isp')).toBeTruthy();
  });

  test('one exit, one price: a city fills its state and costs the city rate; a new state narrows the cities', async () => {
    await openLocations();
    expect(connectButton().textContent).toBe('Connect · $0.50/hour');
    expect(screen.getByTestId('price-rule').textContent).toContain('a city includes its state');
    await userEvent.selectOptions(select('city'), 'Buffalo');
    // Picking a city fills its state, and "New York + Buffalo" is priced as Buffalo.
    expect(select('state').value).toBe('New York');
    expect(connectButton().textContent).toBe('Connect · $0.75/hour');
    expect(screen.getByTestId('choice').textContent).toBe('Buffalo, New York, United States · $0.75/hour');
    await userEvent.selectOptions(select('isp'), 'Comcast');
    expect(connectButton().textContent).toBe('Connect · $1.00/hour');
    await userEvent.selectOptions(select('isp'), '');
    await userEvent.selectOptions(select('state'), 'California');
    expect(select('city').value).toBe('');
    expect(optionLabels('city')).toEqual(['Any city', 'Los Angeles', 'San Francisco']);
    expect(connectButton().textContent).toBe('Connect · $0.85/hour');
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
    expect(fake.callsTo('connection.connect')).toEqual([
      { country: 'us', state: 'New York', city: 'New York', session_mode: 'sticky', sticky_minutes: 10 },
    ]);
    expect((await screen.findByTestId('connection-status')).textContent).toBe('Connected');
    expect(screen.getByTestId('status-location').textContent).toBe('New York, New York, United States');
    expect(screen.getByTestId('sidebar-status').textContent).toBe('Connected');
    await userEvent.click(screen.getByTestId('disconnect'));
    expect(fake.callsTo('connection.disconnect')).toHaveLength(1);
    expect(screen.getByTestId('connection-status').textContent).toBe('Disconnected');
    expect(screen.getByTestId('sidebar-status').textContent).toBe('Disconnected');
    expect(screen.getByTestId('connect')).toBeTruthy();
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
    expect(screen.getByTestId('connection-status').textContent).toBe('Reconnecting…');
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
    expect(screen.getByTestId('connection-status').textContent).toBe('Session ended');
    expect(screen.getByTestId('lock-city')).toBeTruthy();
    expect(within(ended).getByRole('button', { name: 'Add Credits' })).toBeTruthy();
    // Credits arrive (bought here or elsewhere): the news is old, the header says Disconnected.
    act(() => fake.emit('wallet.changed', fixtures.snapshot(25_000_000)));
    expect(screen.queryByTestId('session-end-message')).toBeNull();
    expect(screen.getByTestId('connection-status').textContent).toBe('Disconnected');
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

  test('a local proxy that fell back to another port says why and gives the address in use, with Copy', async () => {
    const info = fixtures.info();
    info.local_proxy = {
      ...info.local_proxy,
      port: 34281,
      http_url: 'http://127.0.0.1:34281',
      socks_url: 'socks5://127.0.0.1:34281',
      problem: { code: 'port_in_use', message: 'Port 8899 is in use by another program.' },
    };
    await openLocations(fakeBridge({ 'app.state': () => fixtures.appState({ info }) }));
    expect(screen.getByTestId('proxy-problem').textContent).toBe(
      'Port 8899 is in use by another program. Until you choose another port in Settings, use the address below.',
    );
    expect((screen.getByTestId('proxy-http') as HTMLInputElement).value).toBe('http://127.0.0.1:34281');
    expect(screen.getByRole('button', { name: 'Copy HTTP proxy address' })).toBeTruthy();
  });

  test('starts from the last location when the catalog still offers it', async () => {
    const state = fixtures.appState({
      settings: fixtures.settings({ last_location: { country: 'us', state: 'New York', city: 'Buffalo' } }),
    });
    await openLocations(fakeBridge({ 'app.state': () => state }));
    expect(select('state').value).toBe('New York');
    expect(select('city').value).toBe('Buffalo');
    expect(connectButton().textContent).toBe('Connect · $0.75/hour');
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
    expect(screen.queryByTestId('connect')).toBeNull();
    expect(screen.getByTestId('choose-location')).toBeTruthy();
  });

  test('a locked choice is never the selected value: ISP below 1.00 falls back to Any ISP, Connect at the affordable rate', async () => {
    const state = fixtures.appState({
      wallet: fixtures.snapshot(900_000),
      settings: fixtures.settings({
        last_location: { country: 'us', state: 'New York', city: 'Buffalo', isp: 'Comcast' },
      }),
    });
    const { fake } = await openLocations(fakeBridge({ 'app.state': () => state }));
    expect(select('isp').value).toBe('');
    expect(screen.getByTestId('selector-isp').dataset.locked).toBe('true');
    expect(select('city').value).toBe('Buffalo');
    expect(connectButton().textContent).toBe('Connect · $0.75/hour');
    expect(connectButton().disabled).toBe(false);

    // Spending down mid-way: the city falls back too, and Connect reads the country rate.
    act(() => fake.emit('wallet.changed', fixtures.snapshot(600_000)));
    expect(select('city').value).toBe('');
    expect(select('state').value).toBe('');
    expect(connectButton().textContent).toBe('Connect · $0.50/hour');
    expect(connectButton().disabled).toBe(false);
  });

  test('a change of place while connected offers Reconnect: one action ends the session and starts the new one', async () => {
    const { fake } = await openLocations();
    await userEvent.selectOptions(select('city'), 'Buffalo');
    await userEvent.click(connectButton());
    await screen.findByTestId('disconnect');
    expect(screen.queryByTestId('reconnect-offer')).toBeNull();
    await userEvent.selectOptions(select('state'), 'California');
    expect(screen.getByTestId('reconnect-offer').textContent).toBe(
      'You are connected to Buffalo, New York, United States. Reconnect to use California, United States at $0.85/hour.Reconnect',
    );
    fake.calls.mockClear();
    await userEvent.click(screen.getByTestId('reconnect'));
    // The core's one call: it ends the session (charged to the second) and starts the new one.
    expect(fake.calls.mock.calls.map(([channel, payload]) => [channel, payload])).toEqual([
      ['connection.reconnect', { country: 'us', state: 'California', session_mode: 'sticky', sticky_minutes: 10 }],
    ]);
    expect(screen.getByTestId('status-location').textContent).toBe('California, United States');
    expect(screen.queryByTestId('reconnect-offer')).toBeNull();
  });

  test('Enter in a search picks the match; a search with no match says so', async () => {
    await openLocations();
    const city = screen.getByRole('searchbox', { name: 'Search city' });
    await userEvent.type(city, 'zzz');
    expect(screen.getByTestId('no-match-city').textContent).toBe('No city matches “zzz”.');
    await userEvent.clear(city);
    await userEvent.type(city, 'san{Enter}');
    expect(select('city').value).toBe('San Francisco');
    expect(select('state').value).toBe('California');
    expect((city as HTMLInputElement).value).toBe('');
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search country' }), 'germ{Enter}');
    expect(select('country').value).toBe('de');
  });
});
