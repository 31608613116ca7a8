import { PRICE_RULE } from '../../shared/pricing.ts';
import * as format from '../format.ts';
import { connectOffer, samePlace } from '../store/choice.ts';
import { selectConnection, selectFeatures, selectRates } from '../store/selectors.ts';
import { useAppStore } from '../store/app-store.ts';

/**
 * The place picked and its one price; when connected elsewhere, Reconnect
 * (one action: end this session, start the new one). Connect itself is the
 * header's button, on every page.
 */
export function ChoicePanel() {
  const connection = useAppStore(selectConnection);
  const choice = useAppStore((s) => s.choice);
  const rates = useAppStore(selectRates);
  const features = useAppStore(selectFeatures);
  const busy = useAppStore((s) => s.connectionBusy);
  const online = useAppStore((s) => s.coreOnline);
  const reconnect = useAppStore((s) => s.reconnect);

  const offer = connectOffer(choice, rates, features);
  const elsewhere =
    offer &&
    (connection.status === 'connected' || connection.status === 'connecting') &&
    !samePlace(connection.targeting, offer.targeting)
      ? connection.targeting
      : null;

  return (
    <section className="card" aria-labelledby="choice-heading">
      <h2 id="choice-heading" className="card-label">
        Your choice
      </h2>
      {offer ? (
        <p data-testid="choice">
          {format.place(offer.targeting)}
          {offer.rate && <strong> · {format.perHour(offer.rate.per_hour_micro)}</strong>}
        </p>
      ) : (
        <p className="muted">Pick a country to connect.</p>
      )}
      <p className="muted" data-testid="price-rule">
        {PRICE_RULE}
      </p>
      {offer?.rate && features && !offer.unlocked && (
        <p className="muted" data-testid="connect-hint">
          Connecting at {format.perHour(offer.rate.per_hour_micro)} needs a balance of{' '}
          {format.money(offer.rate.min_balance_micro)} (one hour).
        </p>
      )}
      {elsewhere && offer && (
        <div className="reconnect" data-testid="reconnect-offer">
          <p>
            You are connected to {format.place(elsewhere)}. Reconnect to use {format.place(offer.targeting)}
            {offer.rate ? ` at ${format.perHour(offer.rate.per_hour_micro)}` : ''}.
          </p>
          <button
            type="button"
            className="primary"
            disabled={!online || busy || !offer.unlocked}
            onClick={() => void reconnect(offer.targeting)}
            data-testid="reconnect"
          >
            Reconnect
          </button>
        </div>
      )}
    </section>
  );
}
