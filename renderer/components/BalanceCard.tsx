import * as format from '../format.ts';
import { goTo } from '../hooks/use-hash-route.ts';
import { selectBalance, selectWallet } from '../store/selectors.ts';
import { useAppStore } from '../store/app-store.ts';

/** The seed's balance card: balance, "~N hours with city selection", Add Credits. */
export function BalanceCard() {
  const balance = useAppStore(selectBalance);
  const wallet = useAppStore(selectWallet);
  return (
    <section className="card balance-card" aria-labelledby="balance-heading">
      <div>
        <h2 id="balance-heading" className="card-label">
          Credits balance
        </h2>
        {balance ? (
          <>
            <p className="balance" data-testid="balance">
              {format.credits(balance.balance_micro)}
            </p>
            <p className="muted" data-testid="hours-with-city">
              ~{format.hours(balance.hours_remaining.with_city)} hours with city selection
            </p>
          </>
        ) : (
          <p className="muted" role="status">
            {wallet?.problem ? `Balance unavailable: ${wallet.problem.message}` : 'Loading balance…'}
          </p>
        )}
      </div>
      <button type="button" className="primary" onClick={() => goTo('buy')}>
        Add Credits
      </button>
    </section>
  );
}
