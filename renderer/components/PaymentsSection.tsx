import { useEffect } from 'react';
import { paymentOutcome, type PaymentOutcome } from '../../shared/payment-outcome.ts';
import * as format from '../format.ts';
import { useAppStore } from '../store/app-store.ts';
import { Money } from './Money.tsx';
import { Empty, ErrorState, Loading } from './StatusMessages.tsx';

const OUTCOME: Record<PaymentOutcome, string> = {
  pending: 'Waiting for payment',
  paid: 'Paid',
  cancelled: 'Cancelled',
  expired: 'Expired',
  failed: 'Failed',
  refunded: 'Refunded',
};

/** Every order with its package and how it ended: cancelled and expired ones too. */
export function PaymentsSection() {
  const payments = useAppStore((s) => s.payments);
  const loadPayments = useAppStore((s) => s.loadPayments);

  useEffect(() => {
    void loadPayments();
  }, [loadPayments]);

  const items = payments.data;
  return (
    <section className="card" aria-labelledby="payments-heading">
      <h2 id="payments-heading">Payments</h2>
      {payments.status === 'error' && <ErrorState message={payments.error ?? ''} onRetry={() => void loadPayments()} />}
      {!items && payments.status !== 'error' && <Loading what="payments" />}
      {items?.length === 0 && <Empty>No payments yet.</Empty>}
      {items && items.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Package</th>
              <th scope="col" className="num">
                Credits
              </th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {items.map((p) => (
              <tr key={p.payment_id} data-testid="payment-row" data-outcome={paymentOutcome(p)}>
                <td>{format.dateTime(p.created_at)}</td>
                <td>{format.packageNameOfId(p.package_id)}</td>
                <td className="num">
                  <Money micro={p.credits_micro + p.bonus_micro} />
                </td>
                <td>{OUTCOME[paymentOutcome(p)]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
