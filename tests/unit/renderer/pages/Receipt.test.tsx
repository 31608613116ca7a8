import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test, vi } from 'vitest';
import { fakeBridge, refuse } from '../support/fake-bridge.ts';
import * as fixtures from '../support/fixtures.ts';
import { renderApp } from '../support/render-app.tsx';

async function paid(fake = fakeBridge()) {
  await renderApp('buy', fake);
  await userEvent.click(await screen.findByRole('button', { name: 'Purchase the $25 package' }));
  await screen.findByTestId('checkout-waiting');
  act(() => fake.emit('credits.paymentChanged', fixtures.payment('paid')));
  await screen.findByTestId('checkout-success');
  return fake;
}

describe('Buy: a paid purchase offers its receipt', () => {
  test('Download receipt saves the service’s HTML receipt as a file', async () => {
    const created: Blob[] = [];
    URL.createObjectURL = vi.fn((blob: Blob) => {
      created.push(blob);
      return 'blob:receipt';
    });
    URL.revokeObjectURL = vi.fn();
    const clicked: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    const fake = await paid();
    await userEvent.click(screen.getByTestId('download-receipt'));
    const paymentId = fixtures.payment('paid').payment_id;
    expect(fake.callsTo('credits.receipt')).toEqual([{ payment_id: paymentId }]);
    await vi.waitFor(() => expect(clicked).toHaveLength(1));
    expect(clicked[0]!.download).toBe(`atlantic-receipt-${paymentId}.html`);
    expect(created[0]!.type).toBe('text/html');
    expect(await created[0]!.text()).toBe('<h1>Receipt</h1>');
  });

  test('a refusal is shown', async () => {
    await paid(fakeBridge({ 'credits.receipt': refuse('unknown_payment', 'no such payment') }));
    await userEvent.click(screen.getByTestId('download-receipt'));
    expect((await screen.findByRole('alert')).textContent).toBe('no such payment');
  });
});
