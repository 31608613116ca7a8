import { useEffect } from 'react';
import * as format from '../format.ts';
import { ReceiptButton } from './ReceiptButton.tsx';
import { goTo } from '../hooks/use-hash-route.ts';
import type { CheckoutStatus } from '../store/purchase-slice.ts';
import { selectBalanceMicro } from '../store/selectors.ts';
import { useAppStore } from '../store/app-store.ts';
import { Money } from './Money.tsx';

/** How often to ask about a pending payment, in case its event was missed. */
export const PAYMENT_POLL_MS = 3000;

const HEADINGS: Record<CheckoutStatus, string> = {
  idle: '',
  starting: 'Checkout',
  waiting: 'Checkout',
  paid: 'Payment received',
  cancelled: 'Checkout cancelled',
  expired: 'Checkout expired',
  failed: 'Payment failed',
};

/** The purchase after Purchase: the checkout runs in the system browser; this waits for its outcome. */
export function CheckoutPanel() {
  const checkout = useAppStore((s) => s.checkout);
  const packages = useAppStore((s) => s.packages.data?.packages ?? null);
  const balance = useAppStore(selectBalanceMicro);
  const checkPayment = useAppStore((s) => s.checkPayment);
  const startPurchase = useAppStore((s) => s.startPurchase);
  const closeCheckout = useAppStore((s) => s.closeCheckout);
  const waiting = checkout.status === 'waiting';

  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => void checkPayment(), PAYMENT_POLL_MS);
    return () => clearInterval(timer);
  }, [waiting, checkPayment]);

  if (checkout.status === 'idle') return null;
  const url = checkout.payment?.checkout_url ?? null;
  const pkg = packages?.find((p) => p.id === checkout.packageId) ?? null;
  const payment = checkout.payment;
  const name = pkg
    ? format.packageName(pkg.price_cents, pkg.currency)
    : payment
      ? format.packageNameOfId(payment.package_id)
      : format.packageNameOfId(checkout.packageId ?? '');
  const gets = payment ? payment.credits_micro + payment.bonus_micro : pkg ? pkg.total_credits_micro : null;
  const ended = checkout.status === 'cancelled' || checkout.status === 'expired' || checkout.status === 'failed';
  return (
    <section className="card checkout" aria-labelledby="checkout-heading" data-testid="checkout" aria-live="polite">
      <h2 id="checkout-heading">{HEADINGS[checkout.status]}</h2>
      <p data-testid="checkout-package">
        {name}
        {gets !== null && ` · ${format.creditCount(gets)}`}
      </p>
      {checkout.status === 'starting' && <p role="status">Opening the checkout in your browser…</p>}
      {waiting && (
        <>
          <p role="status" data-testid="checkout-waiting">
            Waiting for payment… Finish paying in the browser window that opened.
          </p>
          {url && (
            <p>
              Closed it by mistake?{' '}
              <a href={url} target="_blank" rel="noopener noreferrer" data-testid="checkout-link">
                Open checkout
              </a>
            </p>
          )}
          <button type="button" onClick={closeCheckout}>
            Choose another package
          </button>
        </>
      )}
      {checkout.status === 'paid' && (
        <>
          <p data-testid="checkout-success">
            Credits added.
            {balance !== null && (
              <>
                {' '}
                Your balance is now <Money micro={balance} />.
              </>
            )}
          </p>
          <button type="button" className="primary" onClick={() => goTo('wallet')}>
            Go to wallet
          </button>
          {checkout.payment && <ReceiptButton paymentId={checkout.payment.payment_id} />}
        </>
      )}
      {ended && (
        <>
          <p role={checkout.status === 'failed' ? 'alert' : 'status'} data-testid={`checkout-${checkout.status}`}>
            {checkout.error}
          </p>
          <div className="actions">
            {checkout.packageId && (
              <button type="button" className="primary" onClick={() => void startPurchase(checkout.packageId!)}>
                {checkout.status === 'failed' ? 'Retry' : 'Try again'}
              </button>
            )}
            <button type="button" onClick={closeCheckout}>
              Choose another package
            </button>
          </div>
        </>
      )}
    </section>
  );
}
