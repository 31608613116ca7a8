import type { FeaturesResponse } from '../shared/api/credits.ts';
import { DEFAULT_PRICING, TIERS, type PricingConfig, type Tier } from '../shared/pricing.ts';

/** A served rate; features' rates also say whether the balance unlocks them. */
export type ServedRate = Omit<FeaturesResponse['rates'][number], 'unlocked'> & { unlocked?: boolean };

export function rateOfTier(rates: readonly ServedRate[] | null, tier: Tier): ServedRate | null {
  return rates?.find((rate) => rate.tier === tier) ?? null;
}

/** The service's rates in shared/pricing's shape, so tierOf prices a choice exactly as the service does. */
export function pricingOf(rates: readonly ServedRate[] | null): PricingConfig {
  const ratesPerHour = { ...DEFAULT_PRICING.ratesPerHour };
  for (const tier of TIERS) {
    const rate = rateOfTier(rates, tier);
    if (rate) ratesPerHour[tier] = BigInt(rate.per_hour_micro);
  }
  return { ...DEFAULT_PRICING, ratesPerHour };
}

export const TIER_LABELS: Record<Tier, string> = {
  country: 'Country only',
  city: 'With city',
  state: 'With state',
  isp: 'With ISP',
};
