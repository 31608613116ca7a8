import type { PackagesResponse } from '../../shared/api/credits.ts';
import * as format from '../format.ts';

type CreditPackage = PackagesResponse['packages'][number];

const money = (amount: number, currency: string) =>
  new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount);

/** The packages as the service configures them; nothing here is hard-coded. */
export function PackageList(props: {
  packages: CreditPackage[];
  disabled: boolean;
  onBuy: (packageId: string) => void;
}) {
  return (
    <ul className="packages">
      {props.packages.map((pkg) => (
        <li key={pkg.id} className={pkg.popular ? 'package popular' : 'package'} data-testid={`package-${pkg.id}`}>
          {pkg.popular && <p className="badge">Most popular</p>}
          <p className="package-price">{money(pkg.price, pkg.currency)}</p>
          <p>
            {format.credits(pkg.credits_micro)} credits
            {pkg.bonus_micro > 0 && <strong className="bonus"> + {format.credits(pkg.bonus_micro)} bonus</strong>}
          </p>
          <p className="muted">~{format.hours(pkg.hours_with_city)} hours with city selection</p>
          <button
            type="button"
            className="primary"
            disabled={props.disabled}
            onClick={() => props.onBuy(pkg.id)}
            aria-label={`Buy ${money(pkg.price, pkg.currency)} package`}
            data-testid={`buy-${pkg.id}`}
          >
            Buy
          </button>
        </li>
      ))}
    </ul>
  );
}
