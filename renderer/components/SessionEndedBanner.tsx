import { goTo } from '../hooks/use-hash-route.ts';
import { selectConnection } from '../store/selectors.ts';
import { useAppStore } from '../store/app-store.ts';

/** Why the session stopped, on every page, until the user connects again. */
export function SessionEndedBanner() {
  const connection = useAppStore(selectConnection);
  if (connection.status !== 'ended') return null;
  return (
    <div className="banner banner-danger" role="alert" data-testid="session-end-message">
      <strong>Session ended.</strong> {connection.message}
      {connection.reason === 'insufficient_credits' && (
        <button type="button" className="link-button" onClick={() => goTo('buy')}>
          Add credits
        </button>
      )}
    </div>
  );
}
