import { act, cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { reportCoreLink } from '../../../../renderer/bridge/link-status.ts';
import { PAYMENT_POLL_MS } from '../../../../renderer/components/CheckoutPanel.tsx';
import { resetStore } from '../../../../renderer/store/app-store.ts';
import { PURCHASE_TIMEOUT_MS } from '../../../../renderer/store/purchase-slice.ts';
import { fakeBridge, held, refuse } from '../support/fake-bridge.ts';
import * as fixtures from '../support/fixtures.ts';
import { renderApp } from '../support/render-app.tsx';

afterEach(() => {
  vi.useRealTimers();
});

async function buy25(fake = fakeBridge()) {
  await renderApp('buy', fake);
  await userEvent.click(await screen.findByRole('button', { name: 'Purchase the $25 package' }));
  return fake;
}

describe('Buy credits page', () => {
  test('packages with price, credits, bonus, hours at the city rate and the most popular mark; test mode marked', async () => {
    await renderApp('buy');
    const popular = await screen.findByTestId('package-usd_25');
    // The seed's card: MOST POPULAR, $25, "25 credits +2 bonus", hours, Purchase.
    expect(popular.textContent).toContain('MOST POPULAR');
    expect(popular.textContent).toContain('$25');
    expect(popular.textContent).toContain('25 credits +2 bonus');
    expect(popular.textContent).toContain('~36 hours with city selection');
    expect(within(popular).getByRole('button').textContent).toBe('Purchase');
    expect(screen.getByTestId('package-usd_5').textContent).not.toContain('bonus');
    expect(screen.getAllByText('MOST POPULAR')).toHaveLength(1);
    // The seed's Feature Costs card, from the served rates, and 1 credit = $1 said once.
    const costs = screen.getByTestId('feature-costs');
    for (const line of [
      'Country selection$0.50/hour',
      '+ City selection$0.75/hour',
      '+ State selection$0.85/hour',
      '+ ISP selection$1.00/hour',
    ]) {
      expect(costs.textContent).toContain(line);
    }
    expect(screen.getAllByText(/1 credit = \$1/)).toHaveLength(1);
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
    await userEvent.click(screen.getByRole('button', { name: 'Purchase the $10 package' }));
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
    expect((screen.getByRole('button', { name: 'Purchase the $5 package' }) as HTMLButtonElement).disabled).toBe(true);

    fake.handle('wallet.refresh', () => fixtures.snapshot(54_000_000));
    act(() => fake.emit('credits.paymentChanged', fixtures.payment('paid')));
    const success = await screen.findByTestId('checkout-success');
    await vi.waitFor(() => expect(success.textContent).toContain('Your balance is now $54.00.'));
    await userEvent.click(screen.getByRole('button', { name: 'Go to wallet' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Wallet' })).toBeTruthy();
  });

  test('waiting polls the payment; a failed checkout offers Retry, which starts again', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const fake = await buy25();
    await screen.findByTestId('checkout-waiting');
    fake.handle('credits.payment', () => fixtures.payment('failed', { failure_reason: 'declined' }));
    await act(async () => vi.advanceTimersByTime(PAYMENT_POLL_MS));
    expect(fake.callsTo('credits.payment')).toEqual([{ payment_id: fixtures.PAYMENT_ID }]);
    expect((await screen.findByTestId('checkout-failed')).textContent).toContain('did not go through');
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(fake.callsTo('credits.purchase')).toHaveLength(2);
    expect(await screen.findByTestId('checkout-waiting')).toBeTruthy();
  });

  test('a refused purchase shows the reason and Retry; another package can be chosen', async () => {
    const fake = fakeBridge({
      'credits.purchase': refuse('provider_unavailable', 'The payment provider is not answering.'),
    });
    await buy25(fake);
    const failure = await screen.findByTestId('checkout-failed');
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

  test('the checkout names the package being paid; cancelling is "cancelled", not "failed"', async () => {
    const fake = await buy25();
    await screen.findByTestId('checkout-waiting');
    expect(screen.getByTestId('checkout-package').textContent).toBe('$25 package · 27 credits');
    act(() => fake.emit('credits.paymentChanged', fixtures.payment('failed', { failure_reason: 'cancelled' })));
    expect(screen.getByRole('heading', { name: 'Checkout cancelled' })).toBeTruthy();
    expect(screen.getByTestId('checkout-cancelled').textContent).toBe(
      'You cancelled the checkout. Nothing was charged.',
    );
    expect(screen.queryByText('Payment failed')).toBeNull();
    act(() => fake.emit('credits.paymentChanged', fixtures.payment('failed', { failure_reason: 'expired' })));
    // The checkout already ended: a late event about it changes nothing.
    expect(screen.getByTestId('checkout-cancelled')).toBeTruthy();
  });

  test('a pending checkout survives a reload: it is watched again and its outcome shown', async () => {
    const first = await buy25();
    await screen.findByTestId('checkout-waiting');
    first.calls.mockClear();
    cleanup();
    resetStore();

    // The reload: a new window and store, the core still waiting on the same payment.
    const fake = fakeBridge();
    await renderApp('wallet', fake);
    await vi.waitFor(() => expect(fake.callsTo('credits.payment')).toEqual([{ payment_id: fixtures.PAYMENT_ID }]));
    await userEvent.click(screen.getByTestId('nav-buy'));
    expect(await screen.findByTestId('checkout-waiting')).toBeTruthy();
    expect(screen.getByTestId('checkout-package').textContent).toContain('$25 package');
    fake.handle('wallet.refresh', () => fixtures.snapshot(54_000_000));
    act(() => fake.emit('credits.paymentChanged', fixtures.payment('paid')));
    await vi.waitFor(() => expect(screen.getByTestId('checkout-success').textContent).toContain('$54.00'));

    // Settled: a further reload has nothing to resume.
    cleanup();
    resetStore();
    const later = fakeBridge();
    await renderApp('buy', later);
    await screen.findByTestId('package-usd_25');
    expect(later.callsTo('credits.payment')).toEqual([]);
    expect(screen.queryByTestId('checkout')).toBeNull();
  });

  test('a core that never answers Purchase: a clear message after the timeout, and the buttons come back', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
    const never = held<never>();
    const fake = fakeBridge({ 'credits.purchase': never.handler });
    await renderApp('buy', fake);
    await userEvent.click(await screen.findByRole('button', { name: 'Purchase the $25 package' }));
    expect(screen.getByText('Opening the checkout in your browser…')).toBeTruthy();
    await act(async () => vi.advanceTimersByTime(PURCHASE_TIMEOUT_MS));
    expect((await screen.findByTestId('checkout-failed')).textContent).toContain('did not answer in time');
    expect((screen.getByRole('button', { name: 'Purchase the $5 package' }) as HTMLButtonElement).disabled).toBe(false);
  });

  test('while the core is unreachable: an offline banner, Purchase disabled, the page still readable', async () => {
    await renderApp('buy');
    await screen.findByTestId('package-usd_25');
    act(() => reportCoreLink(false));
    expect(screen.getByTestId('offline-banner').textContent).toContain('lost its connection to Atlantic Proxy');
    expect((screen.getByRole('button', { name: 'Purchase the $25 package' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByTestId('connect') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('feature-costs')).toBeTruthy();
    act(() => reportCoreLink(true));
    expect(screen.queryByTestId('offline-banner')).toBeNull();
    expect((screen.getByRole('button', { name: 'Purchase the $25 package' }) as HTMLButtonElement).disabled).toBe(
      false,
    );
  });
});
