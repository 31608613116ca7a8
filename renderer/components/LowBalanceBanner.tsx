import * as format from '../format.ts';
import { goTo } from '../hooks/use-hash-route.ts';
import { rateOfTier } from '../rates.ts';
import { selectBalanceMicro, selectLiveSession, selectRates } from '../store/selectors.ts';
import { useAppStore } from '../store/app-store.ts';

/** Less than one hour left at the live session's rate (or, idle, at the city rate). */
export function LowBalanceBanner() {
  const balance = useAppStore(selectBalanceMicro);
  const session = useAppStore(selectLiveSession);
  const rates = useAppStore(selectRates);
  // The header already says the credits ran out: one banner, not two.
  const endShown = useAppStore(
    (s) => s.connection.status === 'ended' && s.connection.reason === 'insufficient_credits' && !s.endAcknowledged,
  );
  const rate = session?.rate_per_hour_micro ?? rateOfTier(rates, 'city')?.per_hour_micro ?? null;
  if (endShown || balance === null || rate === null || balance >= rate) return null;
  return (
    <div className="banner banner-warning" role="status" data-testid="low-balance">
      {balance === 0 ? 'Your balance is empty.' : `Low balance — less than one hour left at ${format.perHour(rate)}.`}
      <button type="button" className="link-button" onClick={() => goTo('buy')}>
        Add Credits
      </button>
    </div>
  );
}
