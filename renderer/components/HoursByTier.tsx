import * as format from '../format.ts';
import { rateOfTier, TIER_LABELS } from '../rates.ts';
import { selectBalance, selectFeatures, selectRates } from '../store/selectors.ts';
import { useAppStore } from '../store/app-store.ts';
import type { Tier } from '../../shared/pricing.ts';

const HOURS_KEY = {
  country: 'country_only',
  city: 'with_city',
  state: 'with_state',
  isp: 'with_isp',
} as const satisfies Record<Tier, string>;

/** How long the balance lasts at each targeting tier, with the tier's price; a locked tier says so instead. */
export function HoursByTier() {
  const balance = useAppStore(selectBalance);
  const rates = useAppStore(selectRates);
  const features = useAppStore(selectFeatures);
  if (!balance) return null;
  return (
    <section className="card" aria-labelledby="hours-heading">
      <h2 id="hours-heading" className="card-label">
        Hours remaining
      </h2>
      <dl className="tier-hours">
        {(Object.keys(HOURS_KEY) as Tier[]).map((tier) => {
          const rate = rateOfTier(rates, tier);
          const locked = rateOfTier(features?.rates ?? null, tier)?.unlocked === false;
          return (
            <div key={tier} data-testid={`hours-${tier}`} data-locked={locked}>
              <dt>
                {TIER_LABELS[tier]}
                {rate && <span className="muted"> · {format.perHour(rate.per_hour_micro)}</span>}
              </dt>
              <dd>
                {locked && rate
                  ? `Locked: needs ${format.money(rate.min_balance_micro)}`
                  : `${format.hours(balance.hours_remaining[HOURS_KEY[tier]])} h`}
              </dd>
            </div>
          );
        })}
      </dl>
    </section>
  );
}
