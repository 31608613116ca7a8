import type { FeaturesResponse } from '../../shared/api/credits.ts';
import type { LocationsResponse } from '../../shared/api/locations.ts';
import { tierOf, type Tier } from '../../shared/pricing.ts';
import type { Targeting } from '../../shared/targeting.ts';
import { pricingOf, rateOfTier, type ServedRate } from '../rates.ts';

/** What the Locations page has picked so far; '' means "any". */
export interface LocationChoice {
  country: string;
  state: string;
  city: string;
  isp: string;
}

export type LocationField = keyof LocationChoice;

export const noChoice: LocationChoice = { country: '', state: '', city: '', isp: '' };

export function targetingOf(choice: LocationChoice): Targeting | null {
  if (!choice.country) return null;
  const targeting: Targeting = { country: choice.country };
  if (choice.state) targeting.state = choice.state;
  if (choice.city) targeting.city = choice.city;
  if (choice.isp) targeting.isp = choice.isp;
  return targeting;
}

export function choiceOf(targeting: Targeting): LocationChoice {
  return {
    country: targeting.country.toLowerCase(),
    state: targeting.state ?? '',
    city: targeting.city ?? '',
    isp: targeting.isp ?? '',
  };
}

/** The state a city lies in, from the catalog (a city implies its state). */
function stateOfCity(catalog: LocationsResponse | null, country: string, city: string): string | null {
  const found = catalog?.countries.find((c) => c.code.toLowerCase() === country);
  return found?.states.find((s) => s.cities.includes(city))?.name ?? null;
}

/** A narrower pick depends on the wider ones: a new country clears the rest, a new state its city, a city fills its state. */
export function narrowed(
  choice: LocationChoice,
  field: LocationField,
  value: string,
  catalog: LocationsResponse | null,
): LocationChoice {
  if (field === 'country') return { ...noChoice, country: value };
  if (field === 'state') return { ...choice, state: value, city: '' };
  return withImpliedState({ ...choice, [field]: value }, catalog);
}

/** A city's state filled in from the catalog: one exit, one targeting, one price. */
export function withImpliedState(choice: LocationChoice, catalog: LocationsResponse | null): LocationChoice {
  if (!choice.city) return choice;
  const state = stateOfCity(catalog, choice.country, choice.city);
  return state && state !== choice.state ? { ...choice, state } : choice;
}

const unlocked = (features: FeaturesResponse, tier: Tier) => rateOfTier(features.rates, tier)?.unlocked ?? false;

/**
 * The choice with everything the balance can't pay for let go, widest last: a
 * locked ISP falls back to "Any ISP", a locked city to its state or "Any city".
 * Unknown balance (no wallet answer yet) changes nothing: the service decides.
 */
export function affordableChoice(choice: LocationChoice, features: FeaturesResponse | null): LocationChoice {
  if (!features) return choice;
  let next = choice;
  if (next.isp && !unlocked(features, 'isp')) next = { ...next, isp: '' };
  if (next.city && !unlocked(features, 'city')) next = { ...next, city: '' };
  if (next.state && !next.city && !unlocked(features, 'state')) next = { ...next, state: '' };
  return next;
}

/** What Connect would start: the choice, its tier and rate, and whether the balance unlocks it. */
export interface ConnectOffer {
  targeting: Targeting;
  tier: Tier;
  rate: ServedRate | null;
  unlocked: boolean;
}

export function connectOffer(
  choice: LocationChoice,
  rates: readonly ServedRate[] | null,
  features: FeaturesResponse | null,
): ConnectOffer | null {
  const targeting = targetingOf(choice);
  if (!targeting) return null;
  const tier = tierOf(targeting, pricingOf(rates));
  return {
    targeting,
    tier,
    rate: rateOfTier(rates, tier),
    unlocked: features ? unlocked(features, tier) : false,
  };
}

/** Same place and ISP: nothing to reconnect for. */
export function samePlace(a: Targeting, b: Targeting): boolean {
  const norm = (t: Targeting) => [t.country.toLowerCase(), t.state ?? '', t.city ?? '', t.isp ?? ''].join('\u0000');
  return norm(a) === norm(b);
}
