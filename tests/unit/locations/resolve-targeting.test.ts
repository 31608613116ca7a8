import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../shared/errors.ts';
import { tierOf } from '../../../shared/pricing.ts';
import { DEFAULT_CATALOG } from '../../../server/locations/default-catalog.ts';
import { resolveTargeting } from '../../../server/locations/resolve-targeting.ts';

const resolve = (input: unknown) => resolveTargeting(DEFAULT_CATALOG, input);

function refusal(input: unknown) {
  try {
    resolve(input);
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error(`${JSON.stringify(input)} was accepted`);
}

describe('resolveTargeting', () => {
  it("takes the seed's slugs and words alike, answering in the catalog's spelling", () => {
    expect(resolve({ country: 'us', city: 'new_york' })).toEqual({
      country: 'us',
      state: 'New York',
      city: 'New York',
    });
    expect(resolve({ country: 'US', city: 'New York' })).toEqual(resolve({ country: 'us', city: 'new_york' }));
    expect(resolve({ country: 'us', state: 'new-york', city: 'NEW YORK' })).toEqual({
      country: 'us',
      state: 'New York',
      city: 'New York',
    });
    expect(resolve({ country: 'us', city: 'los_angeles', isp: 'charter_spectrum' })).toEqual({
      country: 'us',
      state: 'California',
      city: 'Los Angeles',
      isp: 'Charter Spectrum',
    });
  });

  it('fills the state a city lies in, so "Austin" and "Texas + Austin" are one exit at one price', () => {
    const alone = resolve({ country: 'us', city: 'Austin' });
    const withState = resolve({ country: 'us', state: 'Texas', city: 'austin' });
    expect(alone).toEqual(withState);
    expect(alone).toEqual({ country: 'us', state: 'Texas', city: 'Austin' });
    expect(tierOf(alone)).toBe('city');
  });

  it('refuses places it does not serve in a sentence, naming the place in the details', () => {
    const city = refusal({ country: 'us', state: 'Texas', city: 'miami' });
    expect(city.code).toBe('unknown_location');
    expect(city.message).toBe(`We don't offer the city "miami" in Texas. Choose one from the locations list.`);
    expect(city.details).toEqual({ city: 'miami' });
    expect(refusal({ country: 'zz' }).message).toBe(
      `We don't offer the country "ZZ" in any location we serve. Choose one from the locations list.`,
    );
    expect(refusal({ country: 'us', isp: 'acme' }).details).toEqual({ isp: 'acme' });
    // Underscores are spelling, not wildcards: a slug still has to name a real place.
    expect(refusal({ country: 'us', city: 'new__yorkk' }).code).toBe('unknown_location');
  });
});
