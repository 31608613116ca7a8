import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { PAYMENT_POLL_MS } from '../../../../renderer/components/CheckoutPanel.tsx';
import { fakeBridge, held, refuse } from '../support/fake-bridge.ts';
import * as fixtures from '../support/fixtures.ts';
import { renderApp } from '../support/render-app.tsx';

afterEach(() => {
  vi.useRealTimers();
});

async function buy25(fake = fakeBridge()) {
  await renderApp('buy', fake);
  await userEvent.click(await screen.findByRole('button', { name: 'Buy $25.00 package' }));
  return fake;
}

describe('Buy credits page', () => {
  test('packages with price, credits, bonus, hours at the city rate and the most popular mark; test mode marked', async () => {
    await renderApp('buy');
    const popular = await screen.findByTestId('package-usd_25');
    expect(popular.textContent).toContain('Most popular');
    expect(popular.textContent).toContain('$25.00');
    expect(popular.textContent).toContain('25.00 credits + 2.00 bonus');
    expect(popular.textContent).toContain('~36.0 hours with city selection');
    expect(screen.getByTestId('package-usd_5').textContent).not.toContain('bonus');
    expect(screen.getAllByText('Most popular')).toHaveLength(1);
    expect(screen.getByTestId('test-mode').textContent).toBe('Test mode — no real money');
    expect(screen.getByText('Payment method: Test checkout')).toBeTruthy();
  });

  test('a choice of methods: the chosen one goes with the purchase; live mode has no test banner', async () => {
    const fake = fakeBridge({
      'credits.packages': () => fixtures.packagesResponse({ methods: ['paystack', 'crypto'], test_mode: false }),
    });
    await renderApp('buy', fake);
    const card = await screen.findByRole('radio', { name: 'Card (Paystack)' });
    expect((card as HTMLInputElement).checked).toBe(true);
    expect(screen.queryByTestId('test-mode')).toBeNull();
    await userEvent.click(screen.getByRole('radio', { name: 'Crypto (BTCPay)' }));
    await userEvent.click(screen.getByRole('button', { name: 'Buy $10.00 package' }));
    expect(fake.callsTo('credits.purchase')).toEqual([{ package_id: 'usd_10', method: 'crypto' }]);
  });

  test('loading, then an error with a retry, then an empty offer', async () => {
    const answer = held<never>();
    const fake = fakeBridge({ 'credits.packages': answer.handler });
    await renderApp('buy', fake);
    expect(screen.getByText('Loading packages…')).toBeTruthy();
    await act(async () => answer.fail('offline', 'billing service unreachable'));
    expect((await screen.findByRole('alert')).textContent).toContain('billing service unreachable');
    fake.handle('credits.packages', () => fixtures.packagesResponse({ packages: [] }));
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('No credit packages are on offer right now.')).toBeTruthy();
  });

  test('purchase → waiting with an "Open checkout" link → paid event → success with the new balance', async () => {
    const fake = await buy25();
    expect(fake.callsTo('credits.purchase')).toEqual([{ package_id: 'usd_25' }]);
    expect(await screen.findByTestId('checkout-waiting')).toBeTruthy();
    const link = screen.getByRole('link', { name: 'Open checkout' });
    expect(link.getAttribute('href')).toBe(fixtures.payment('pending').checkout_url);
    expect(link.getAttribute('target')).toBe('_blank');
    expect((screen.getByRole('button', { name: 'Buy $5.00 package' }) as HTMLButtonElement).disabled).toBe(true);

    fake.handle('wallet.refresh', () => fixtures.snapshot(54_000_000));
    act(() => fake.emit('credits.paymentChanged', fixtures.payment('paid')));
    const success = await screen.findByTestId('checkout-success');
    await vi.waitFor(() => expect(success.textContent).toContain('Your balance is now 54.00 credits.'));
    await userEvent.click(screen.getByRole('button', { name: 'Go to wallet' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Wallet' })).toBeTruthy();
  });

  test('waiting polls the payment; a failed or expired checkout offers Retry, which starts again', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const fake = await buy25();
    await screen.findByTestId('checkout-waiting');
    fake.handle('credits.payment', () => fixtures.payment('failed'));
    await act(async () => vi.advanceTimersByTime(PAYMENT_POLL_MS));
    expect(fake.callsTo('credits.payment')).toEqual([{ payment_id: fixtures.PAYMENT_ID }]);
    expect((await screen.findByTestId('checkout-failure')).textContent).toContain('expired');
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(fake.callsTo('credits.purchase')).toHaveLength(2);
    expect(await screen.findByTestId('checkout-waiting')).toBeTruthy();
  });

  test('a refused purchase shows the reason and Retry; another package can be chosen', async () => {
    const fake = fakeBridge({
      'credits.purchase': refuse('provider_unavailable', 'The payment provider is not answering.'),
    });
    await buy25(fake);
    const failure = await screen.findByTestId('checkout-failure');
    expect(failure.textContent).toBe('The payment provider is not answering.');
    expect(screen.getByRole('button', { name: 'Retry' })).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Choose another package' }));
    expect(screen.queryByTestId('checkout')).toBeNull();
  });

  test('an event about some other payment does not move this checkout', async () => {
    const fake = await buy25();
    await screen.findByTestId('checkout-waiting');
    act(() =>
      fake.emit(
        'credits.paymentChanged',
        fixtures.payment('paid', { payment_id: '00000000-0000-4000-8000-0000000000cc' }),
      ),
    );
    expect(within(screen.getByTestId('checkout')).getByTestId('checkout-waiting')).toBeTruthy();
  });
});
