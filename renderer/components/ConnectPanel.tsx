import { tierOf } from '../../shared/pricing.ts';
import { sameTargeting } from '../../shared/targeting.ts';
import * as format from '../format.ts';
import { pricingOf, rateOfTier } from '../rates.ts';
import { targetingOf } from '../store/locations-slice.ts';
import { selectConnection, selectFeatures, selectRates } from '../store/selectors.ts';
import { useAppStore } from '../store/app-store.ts';

function statusLine(connection: ReturnType<typeof selectConnection>): string {
  switch (connection.status) {
    case 'connected':
      return `Connected · ${format.place(connection.targeting)}`;
    case 'connecting':
      return connection.reconnecting
        ? `Connection lost, reconnecting${connection.attempt ? ` (attempt ${connection.attempt})` : ''}…`
        : `Connecting to ${format.place(connection.targeting)}…`;
    case 'disconnecting':
      return 'Disconnecting…';
    case 'ended':
      return 'Session ended';
    default:
      return 'Disconnected';
  }
}

/** Connect with the rate of the current choice, or Disconnect; and why not, when it can't. */
export function ConnectPanel() {
  const connection = useAppStore(selectConnection);
  const busy = useAppStore((s) => s.connectionBusy);
  const error = useAppStore((s) => s.connectionError);
  const choice = useAppStore((s) => s.choice);
  const rates = useAppStore(selectRates);
  const features = useAppStore(selectFeatures);
  const { connect, disconnect, reconnect } = useAppStore.getState();

  const targeting = targetingOf(choice);
  const tier = targeting ? tierOf(targeting, pricingOf(rates)) : null;
  const rate = tier ? rateOfTier(rates, tier) : null;
  const live = connection.status === 'connected' || connection.status === 'connecting';
  const unlocked = tier !== null && (features?.rates.find((r) => r.tier === tier)?.unlocked ?? false);
  // A location picked while connected applies only through Reconnect: say so, with its rate.
  const changed = connection.status === 'connected' && targeting && !sameTargeting(targeting, connection.targeting);
  const problem =
    error ??
    ((connection.status === 'disconnected' || connection.status === 'connecting') && connection.problem) ??
    null;

  return (
    <section className="card connect" aria-labelledby="connect-heading">
      <h2 id="connect-heading" className="card-label">
        Connection
      </h2>
      <p role="status" data-testid="connection-status" data-status={connection.status}>
        {statusLine(connection)}
      </p>
      {problem && (
        <p role="alert" className="problem" data-testid="connection-problem">
          {problem.message}
        </p>
      )}
      {changed && targeting && (
        <>
          <button
            type="button"
            className="primary"
            disabled={busy || !unlocked}
            onClick={() => void reconnect(targeting)}
            data-testid="reconnect"
          >
            {`Reconnect to ${format.place(targeting)}${rate ? ` · ${format.perHour(rate.per_hour_micro)}` : ''}`}
          </button>
          <p className="muted" data-testid="reconnect-hint">
            Ends this session, charged to the second, and starts a new one there.
          </p>
        </>
      )}
      {live || connection.status === 'disconnecting' ? (
        <button
          type="button"
          className="danger"
          disabled={busy || connection.status === 'disconnecting'}
          onClick={() => void disconnect()}
          data-testid="disconnect"
        >
          Disconnect
        </button>
      ) : (
        <>
          <button
            type="button"
            className="primary"
            disabled={busy || !targeting || !unlocked}
            onClick={() => targeting && void connect(targeting)}
            data-testid="connect"
          >
            {rate ? `Connect · ${format.perHour(rate.per_hour_micro)}` : 'Connect'}
          </button>
          {targeting && rate && features && !unlocked && (
            <p className="muted" data-testid="connect-hint">
              Connecting at {format.perHour(rate.per_hour_micro)} needs a balance of{' '}
              {format.credits(rate.min_balance_micro)}.
            </p>
          )}
        </>
      )}
    </section>
  );
}
