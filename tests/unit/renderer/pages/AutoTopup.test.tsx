import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import { fakeBridge, refuse } from '../support/fake-bridge.ts';
import * as fixtures from '../support/fixtures.ts';
import { renderApp } from '../support/render-app.tsx';

async function openSettings(fake = fakeBridge()) {
  const view = await renderApp('settings', fake);
  await screen.findByTestId('auto-topup');
  return view;
}

describe('Settings: auto top-up and the saved card', () => {
  test('shows the saved card by brand, last 4 and expiry; Turn on sends package, threshold and cap', async () => {
    const { fake } = await openSettings();
    expect(screen.getByTestId('saved-card').textContent).toContain('VISA •••• 4081, expires 12/2030');
    expect(screen.getByTestId('auto-topup-state').textContent).toContain('Off.');
    await userEvent.selectOptions(screen.getByLabelText('Package'), 'usd_10');
    const threshold = screen.getByLabelText('When the balance falls below (credits)');
    await userEvent.clear(threshold);
    await userEvent.type(threshold, '5');
    const cap = screen.getByLabelText(/At most this much a month/);
    await userEvent.clear(cap);
    await userEvent.type(cap, '30');
    await userEvent.click(screen.getByRole('button', { name: 'Turn on' }));
    expect(fake.callsTo('autoTopup.set')).toEqual([
      { enabled: true, package_id: 'usd_10', threshold: '5', monthly_cap_cents: 3_000 },
    ]);
    expect((await screen.findByTestId('auto-topup-state')).textContent).toContain(
      'On: when the balance falls below 5 credits, buy usd_10.',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Turn off' }));
    expect(fake.callsTo('autoTopup.set')).toHaveLength(2);
  });

  test('Remove card forgets it; without a card auto top-up cannot be turned on', async () => {
    const { fake } = await openSettings();
    await userEvent.click(screen.getByRole('button', { name: 'Remove card' }));
    expect(fake.callsTo('autoTopup.removeCard')).toHaveLength(1);
    expect((await screen.findByTestId('saved-card')).textContent).toContain('No saved card');
    expect((screen.getByRole('button', { name: 'Turn on' }) as HTMLButtonElement).disabled).toBe(true);
  });

  test('a declined card: the reason the service turned it off is shown; a refusal is shown too', async () => {
    const fake = fakeBridge({
      'autoTopup.get': () =>
        fixtures.autoTopup({
          disabled_reason: 'Your saved card was declined (Insufficient Funds); auto top-up is off.',
        }),
      'autoTopup.set': refuse('invalid_input', 'the monthly cap is below the price of usd_25'),
    });
    await openSettings(fake);
    expect(screen.getByTestId('auto-topup-off').textContent).toContain('declined (Insufficient Funds)');
    await userEvent.click(screen.getByRole('button', { name: 'Turn on' }));
    expect((await screen.findAllByRole('alert')).map((a) => a.textContent)).toContain(
      'the monthly cap is below the price of usd_25',
    );
  });

  test('the core’s auto_topup_off notice shows as a banner in the window', async () => {
    const { fake } = await openSettings();
    act(() =>
      fake.emit('app.notice', {
        kind: 'auto_topup_off',
        title: 'Auto top-up is off',
        body: 'Your saved card was declined (Insufficient Funds); auto top-up is off.',
      }),
    );
    expect((await screen.findByTestId('notice-auto_topup_off')).textContent).toContain('Auto top-up is off');
  });

  test('a service without card payments says auto top-up is not offered', async () => {
    await openSettings(fakeBridge({ 'autoTopup.get': () => fixtures.autoTopup({ available: false, card: null }) }));
    expect(screen.getByTestId('auto-topup').textContent).toContain('does not offer');
  });
});
