import { AppError } from './errors.ts';
import { costOver, MS_PER_HOUR, type MicroCredits } from './money.ts';
import type { Targeting } from './targeting.ts';

/** Targeting features, each with its own hourly rate. A session pays the highest it uses. */
export const TIERS = ['country', 'city', 'state', 'isp'] as const;
export type Tier = (typeof TIERS)[number];

export interface PricingConfig {
  /** µcr per hour for each tier. */
  ratesPerHour: Record<Tier, MicroCredits>;
  /** A tier unlocks (and a session may start) when the balance covers this many minutes of it. */
  minStartMinutes: number;
}

export const DEFAULT_PRICING: PricingConfig = {
  ratesPerHour: { country: 500_000n, city: 750_000n, state: 850_000n, isp: 1_000_000n },
  minStartMinutes: 60,
};

/**
 * The tiers a targeting choice pays for: the country, the most specific place
 * below it (city, else state) and the ISP when one is chosen. A city implies its
 * state, so "Austin" and "Texas + Austin" are one exit at one price.
 */
export function tiersUsed(targeting: Targeting): Tier[] {
  const tiers: Tier[] = ['country'];
  if (targeting.city !== undefined) tiers.push('city');
  else if (targeting.state !== undefined) tiers.push('state');
  if (targeting.isp !== undefined) tiers.push('isp');
  return tiers;
}

/** The tier that sets the price: the dearer of the place's and the ISP's. */
export function tierOf(targeting: Targeting, pricing: PricingConfig = DEFAULT_PRICING): Tier {
  return tiersUsed(targeting).reduce((best, tier) =>
    pricing.ratesPerHour[tier] > pricing.ratesPerHour[best] ? tier : best,
  );
}

/** The rule in words, for the Locations page. */
export const PRICE_RULE =
  'One exit, one price: a city includes its state, so the rate follows the most specific place you choose. Choosing an ISP costs the ISP rate.';

export function rateOf(tier: Tier, pricing: PricingConfig = DEFAULT_PRICING): MicroCredits {
  return pricing.ratesPerHour[tier];
}

/** The balance a session of this tier needs to start, and to show the tier unlocked. */
export function minStartBalance(tier: Tier, pricing: PricingConfig = DEFAULT_PRICING): MicroCredits {
  return costOver(pricing.ratesPerHour[tier], BigInt(pricing.minStartMinutes) * 60_000n);
}

export function isTierUnlocked(balance: MicroCredits, tier: Tier, pricing: PricingConfig = DEFAULT_PRICING): boolean {
  return balance >= minStartBalance(tier, pricing);
}

/** Whole milliseconds of service the balance pays for at `ratePerHour`. */
export function msRemaining(balance: MicroCredits, ratePerHour: MicroCredits): bigint {
  if (ratePerHour <= 0n) throw new AppError('invalid_amount', 'a rate must be positive');
  if (balance <= 0n) return 0n;
  return (balance * MS_PER_HOUR) / ratePerHour;
}

/** Hours the balance lasts at each tier, for display (the seed's `hours_remaining`). */
export function hoursRemaining(balance: MicroCredits, pricing: PricingConfig = DEFAULT_PRICING): Record<Tier, number> {
  const hours = (tier: Tier) => Number(msRemaining(balance, pricing.ratesPerHour[tier])) / 3_600_000;
  return { country: hours('country'), city: hours('city'), state: hours('state'), isp: hours('isp') };
}

/** Validates an operator's pricing: positive integer rates and a whole number of minutes. */
export function checkPricing(pricing: PricingConfig): PricingConfig {
  for (const tier of TIERS) {
    const rate = pricing.ratesPerHour[tier];
    if (typeof rate !== 'bigint' || rate <= 0n) {
      throw new AppError('invalid_amount', `rate for ${tier} must be a positive number of micro-credits`);
    }
  }
  if (!Number.isInteger(pricing.minStartMinutes) || pricing.minStartMinutes < 0) {
    throw new AppError('invalid_input', 'minStartMinutes must be a whole number ≥ 0');
  }
  return pricing;
}
