import { age } from '../format.ts';
import { useNow } from '../hooks/use-now.ts';
import { selectWallet } from '../store/selectors.ts';
import { useAppStore } from '../store/app-store.ts';

/** The last snapshot stays on screen when the service is unreachable; this says how old it is. */
export function OfflineBanner() {
  const wallet = useAppStore(selectWallet);
  const offline = wallet?.offline ?? false;
  const now = useNow(offline);
  if (!offline) return null;
  const fetchedAt = wallet?.fetched_at ? Date.parse(wallet.fetched_at) : null;
  return (
    <div className="banner banner-warning" role="status" data-testid="offline-banner">
      {fetchedAt === null
        ? 'Offline — the billing service can’t be reached yet.'
        : `Offline — showing balance from ${age(now - fetchedAt)}`}
      {wallet?.problem && <span className="banner-detail"> ({wallet.problem.message})</span>}
    </div>
  );
}
