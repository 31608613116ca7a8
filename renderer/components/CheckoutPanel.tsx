import { useEffect } from 'react';
import * as format from '../format.ts';
import { ReceiptButton } from './ReceiptButton.tsx';
import { goTo } from '../hooks/use-hash-route.ts';
import { selectBalanceMicro } from '../store/selectors.ts';
import { useAppStore } from '../store/app-store.ts';

/** How often to ask about a pending payment, in case its event was missed. */
export const PAYMENT_POLL_MS = 3000;

/** The purchase after Buy: the checkout runs in the system browser; this waits for its outcome. */
export function CheckoutPanel() {
  const checkout = useAppStore((s) => s.checkout);
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
  return (
    <section className="card checkout" aria-labelledby="checkout-heading" data-testid="checkout" aria-live="polite">
      <h2 id="checkout-heading">
        {checkout.status === 'paid' ? 'Payment received' : checkout.status === 'failed' ? 'Payment failed' : 'Checkout'}
      </h2>
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
            {balance !== null && ` Your balance is now ${format.credits(balance)} credits.`}
          </p>
          <button type="button" className="primary" onClick={() => goTo('wallet')}>
            Go to wallet
          </button>
          {checkout.payment && <ReceiptButton paymentId={checkout.payment.payment_id} />}
        </>
      )}
      {checkout.status === 'failed' && (
        <>
          <p role="alert" data-testid="checkout-failure">
            {checkout.error}
          </p>
          <div className="actions">
            {checkout.packageId && (
              <button type="button" className="primary" onClick={() => void startPurchase(checkout.packageId!)}>
                Retry
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
