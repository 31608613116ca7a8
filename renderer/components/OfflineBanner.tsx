import { age } from '../format.ts';
import { useNow } from '../hooks/use-now.ts';
import { selectWallet } from '../store/selectors.ts';
import { useAppStore } from '../store/app-store.ts';

/**
 * On every page: the window lost the core (nothing it shows is live, actions
 * that need the core are disabled), or the core lost the billing service (the
 * last snapshot stays, with its age).
 */
export function OfflineBanner() {
  const coreOnline = useAppStore((s) => s.coreOnline);
  const wallet = useAppStore(selectWallet);
  const offline = !coreOnline || (wallet?.offline ?? false);
  const now = useNow(offline);
  if (!offline) return null;
  const fetchedAt = wallet?.fetched_at ? Date.parse(wallet.fetched_at) : null;
  const since = fetchedAt === null ? '' : ` Balance as of ${age(now - fetchedAt)}.`;
  return (
    <div className="banner banner-warning" role="status" data-testid="offline-banner">
      {!coreOnline
        ? `Offline — this window lost its connection to Atlantic Proxy and is trying again. Buying and connecting wait until it is back.${since}`
        : fetchedAt === null
          ? 'Offline — the billing service can’t be reached yet.'
          : `Offline — showing balance from ${age(now - fetchedAt)}`}
      {coreOnline && wallet?.problem && <span className="banner-detail"> ({wallet.problem.message})</span>}
    </div>
  );
}
