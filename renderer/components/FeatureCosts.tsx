import type { Tier } from '../../shared/pricing.ts';
import * as format from '../format.ts';
import { rateOfTier } from '../rates.ts';
import { selectRates } from '../store/selectors.ts';
import { useAppStore } from '../store/app-store.ts';

const LINES: [Tier, string][] = [
  ['country', 'Country selection'],
  ['city', '+ City selection'],
  ['state', '+ State selection'],
  ['isp', '+ ISP selection'],
];

/** The seed's "Feature Costs" card, from the rates the service serves. */
export function FeatureCosts() {
  const rates = useAppStore(selectRates);
  if (!rates) return null;
  return (
    <section className="card" aria-labelledby="costs-heading" data-testid="feature-costs">
      <h2 id="costs-heading">Feature Costs</h2>
      <dl className="costs">
        {LINES.map(([tier, label]) => {
          const rate = rateOfTier(rates, tier);
          return (
            rate && (
              <div key={tier}>
                <dt>{label}</dt>
                <dd>{format.perHour(rate.per_hour_micro)}</dd>
              </div>
            )
          );
        })}
      </dl>
      <p className="muted">1 credit = $1. Credits are spent by the minute while you are connected.</p>
    </section>
  );
}
