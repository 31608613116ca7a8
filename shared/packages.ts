import { AppError } from './errors.ts';
import { MICRO_PER_CREDIT, type MicroCredits } from './money.ts';

/** A credit package: what the user pays and what lands in the wallet. */
export interface CreditPackage {
  id: string;
  /** Price in the currency's subunits (cents). */
  priceCents: number;
  /** ISO 4217 code the price is charged in; USD unless the operator's packages say otherwise. */
  currency: string;
  credits: MicroCredits;
  bonus: MicroCredits;
  popular: boolean;
}

const pkg = (dollars: number, bonusCredits: number, popular = false): CreditPackage => ({
  id: `usd_${dollars}`,
  priceCents: dollars * 100,
  currency: 'USD',
  credits: BigInt(dollars) * MICRO_PER_CREDIT,
  bonus: BigInt(bonusCredits) * MICRO_PER_CREDIT,
  popular,
});

export const DEFAULT_PACKAGES: readonly CreditPackage[] = [
  pkg(5, 0),
  pkg(10, 0),
  pkg(25, 2, true),
  pkg(50, 5),
  pkg(100, 15),
];

export function totalCredits(p: CreditPackage): MicroCredits {
  return p.credits + p.bonus;
}

/**
 * The package a purchase names, by id or by its dollar amount (the seed's
 * `{amount: 25}`). Anything else is refused: the seed charged $0 for 0 credits.
 */
export function findPackage(
  choice: { packageId?: string; amount?: number },
  packages: readonly CreditPackage[] = DEFAULT_PACKAGES,
): CreditPackage {
  const found = packages.find((p) =>
    choice.packageId !== undefined ? p.id === choice.packageId : p.priceCents === (choice.amount ?? NaN) * 100,
  );
  if (!found) {
    const named = choice.packageId ?? String(choice.amount);
    throw new AppError('unknown_package', `There is no credit package ${named}. Choose one of the packages on offer.`, {
      package: named,
    });
  }
  return found;
}
