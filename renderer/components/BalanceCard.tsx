import * as format from '../format.ts';
import { goTo } from '../hooks/use-hash-route.ts';
import { selectBalance, selectLiveSession, selectWallet } from '../store/selectors.ts';
import { useAppStore } from '../store/app-store.ts';
import { Money } from './Money.tsx';

/** The seed's balance card: "$27.00", "~N hours with city selection", Add Credits. */
export function BalanceCard() {
  const balance = useAppStore(selectBalance);
  const wallet = useAppStore(selectWallet);
  const session = useAppStore(selectLiveSession);
  // While connected the headline follows the session's own rate (an ISP session is not a city one).
  const burn = balance?.burn_rate_per_hour_micro || session?.rate_per_hour_micro || 0;
  return (
    <section className="card balance-card" aria-labelledby="balance-heading">
      <div>
        <h2 id="balance-heading" className="card-label">
          Credits Balance
        </h2>
        {balance ? (
          <>
            <p className="balance">
              <Money micro={balance.balance_micro} testId="balance" />
            </p>
            {session && burn > 0 ? (
              <p className="muted" data-testid="hours-at-rate">
                ~{format.hours(balance.balance_micro / burn)} hours at your session’s {format.perHour(burn)}
              </p>
            ) : (
              <p className="muted" data-testid="hours-with-city">
                ~{format.hours(balance.hours_remaining.with_city)} hours with city selection
              </p>
            )}
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
