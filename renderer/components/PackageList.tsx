import type { PackagesResponse } from '../../shared/api/credits.ts';
import * as format from '../format.ts';

type CreditPackage = PackagesResponse['packages'][number];

const price = (pkg: CreditPackage) =>
  new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: pkg.currency,
    minimumFractionDigits: pkg.price_cents % 100 === 0 ? 0 : 2,
  }).format(pkg.price);

/** The seed's package cards, as the service configures them; nothing here is hard-coded. */
export function PackageList(props: {
  packages: CreditPackage[];
  disabled: boolean;
  onBuy: (packageId: string) => void;
}) {
  return (
    <ul className="packages">
      {props.packages.map((pkg) => (
        <li key={pkg.id} className={pkg.popular ? 'package popular' : 'package'} data-testid={`package-${pkg.id}`}>
          {pkg.popular && <p className="badge">MOST POPULAR</p>}
          <p className="package-price">{price(pkg)}</p>
          <p>
            {format.creditCount(pkg.credits_micro)}
            {pkg.bonus_micro > 0 && (
              <strong className="bonus"> +{format.creditCount(pkg.bonus_micro).replace(/ credits?$/, '')} bonus</strong>
            )}
          </p>
          <p className="muted">~{Math.floor(pkg.hours_with_city)} hours with city selection</p>
          <button
            type="button"
            className="primary"
            disabled={props.disabled}
            onClick={() => props.onBuy(pkg.id)}
            aria-label={`Purchase the ${price(pkg)} package`}
            data-testid={`buy-${pkg.id}`}
          >
            Purchase
          </button>
        </li>
      ))}
    </ul>
  );
}
