import { expectAppError } from '../../support/expect-app-error.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { costOver, credits, MS_PER_HOUR } from '../../../shared/money.ts';
import {
  checkPricing,
  DEFAULT_PRICING,
  hoursRemaining,
  isTierUnlocked,
  minStartBalance,
  msRemaining,
  rateOf,
  tierOf,
  tiersUsed,
  TIERS,
  type PricingConfig,
  type Tier,
} from '../../../shared/pricing.ts';

function pricing(rates: Record<Tier, bigint>, minStartMinutes = 60): PricingConfig {
  return { ratesPerHour: rates, minStartMinutes };
}

describe('default rates', () => {
  it.each([
    ['country', 500_000n],
    ['city', 750_000n],
    ['state', 850_000n],
    ['isp', 1_000_000n],
  ] as const)('%s costs %d µcr an hour', (tier, rate) => {
    expect(rateOf(tier)).toBe(rate);
    expect(DEFAULT_PRICING.ratesPerHour[tier]).toBe(rate);
  });

  it('prices a city minute at 0.75 / 60 = 12,500 µcr exactly', () => {
    expect(costOver(rateOf('city'), 60_000n)).toBe(12_500n);
    expect(costOver(rateOf('city'), 60_000n)).toBe(credits('0.0125'));
  });

  it('is a valid configuration', () => {
    expect(checkPricing(DEFAULT_PRICING)).toBe(DEFAULT_PRICING);
  });
});

describe('tierOf', () => {
  it.each([
    [{ country: 'us' }, 'country'],
    [{ country: 'us', city: 'New York' }, 'city'],
    [{ country: 'us', city: 'New York', isp: 'Comcast' }, 'isp'],
    [{ country: 'us', state: 'NY', city: 'New York' }, 'city'],
    [{ country: 'us', state: 'NY' }, 'state'],
    [{ country: 'us', isp: 'Comcast' }, 'isp'],
    [{ country: 'us', state: 'NY', city: 'New York', isp: 'Comcast' }, 'isp'],
  ] as const)('prices %j as %s', (targeting, tier) => {
    expect(tierOf(targeting)).toBe(tier);
  });

  it('lists the tiers a choice uses, country always', () => {
    expect(tiersUsed({ country: 'us' })).toEqual(['country']);
    expect(tiersUsed({ country: 'us', isp: 'Comcast', city: 'Boston' })).toEqual(['country', 'city', 'isp']);
  });

  it('prices one exit once: a city with its state costs what the city alone costs', () => {
    expect(tierOf({ country: 'us', city: 'Austin' })).toBe('city');
    expect(tierOf({ country: 'us', state: 'Texas', city: 'Austin' })).toBe('city');
    expect(tiersUsed({ country: 'us', state: 'Texas', city: 'Austin' })).toEqual(['country', 'city']);
    expect(tierOf({ country: 'us', state: 'Texas' })).toBe('state');
  });

  it('follows an operator who makes city dearer than ISP', () => {
    const custom = pricing({ country: 100n, city: 5_000_000n, state: 200n, isp: 300n });
    expect(tierOf({ country: 'us', city: 'Boston', isp: 'Comcast' }, custom)).toBe('city');
    expect(tierOf({ country: 'us', state: 'MA', city: 'Boston' }, custom)).toBe('city');
    expect(tierOf({ country: 'us', state: 'MA', isp: 'Comcast' }, custom)).toBe('isp');
  });

  it('follows an operator who makes country the dearest', () => {
    const custom = pricing({ country: 9_000_000n, city: 1n, state: 2n, isp: 3n });
    expect(tierOf({ country: 'us', state: 'MA', city: 'Boston', isp: 'Comcast' }, custom)).toBe('country');
  });

  it('always picks a used tier whose rate is the highest of those used', () => {
    const rate = fc.bigInt({ min: 1n, max: 10n ** 9n });
    const maybe = fc.option(fc.constant('x'), { nil: undefined });
    fc.assert(
      fc.property(rate, rate, rate, rate, maybe, maybe, maybe, (country, city, state, isp, s, c, i) => {
        const custom = pricing({ country, city, state, isp });
        const targeting = { country: 'us', state: s, city: c, isp: i };
        const used = tiersUsed(targeting);
        const tier = tierOf(targeting, custom);
        expect(used).toContain(tier);
        for (const other of used) expect(custom.ratesPerHour[tier] >= custom.ratesPerHour[other]).toBe(true);
      }),
    );
  });
});

describe('minStartBalance and isTierUnlocked', () => {
  it('needs one hour of the tier to start', () => {
    expect(minStartBalance('country')).toBe(500_000n);
    expect(minStartBalance('city')).toBe(750_000n);
    expect(minStartBalance('state')).toBe(850_000n);
    expect(minStartBalance('isp')).toBe(1_000_000n);
  });

  it('unlocks city at 0.75 and not a micro-credit below', () => {
    expect(isTierUnlocked(750_000n, 'city')).toBe(true);
    expect(isTierUnlocked(749_999n, 'city')).toBe(false);
  });

  it('unlocks ISP at 1.00 and not a micro-credit below', () => {
    expect(isTierUnlocked(1_000_000n, 'isp')).toBe(true);
    expect(isTierUnlocked(999_999n, 'isp')).toBe(false);
  });

  it('with 0.50 unlocks country only', () => {
    const balance = credits('0.50');
    expect(TIERS.filter((tier) => isTierUnlocked(balance, tier))).toEqual(['country']);
  });

  it('locks every tier at a zero or negative balance', () => {
    for (const tier of TIERS) {
      expect(isTierUnlocked(0n, tier)).toBe(false);
      expect(isTierUnlocked(-1n, tier)).toBe(false);
    }
  });

  it('follows the configured number of minutes', () => {
    const halfHour = { ...DEFAULT_PRICING, minStartMinutes: 30 };
    expect(minStartBalance('city', halfHour)).toBe(375_000n);
    expect(isTierUnlocked(375_000n, 'city', halfHour)).toBe(true);
    expect(isTierUnlocked(374_999n, 'city', halfHour)).toBe(false);

    const none = { ...DEFAULT_PRICING, minStartMinutes: 0 };
    expect(minStartBalance('isp', none)).toBe(0n);
    expect(isTierUnlocked(0n, 'isp', none)).toBe(true);
  });

  it('with the default configuration, unlocks a tier exactly when the balance covers its hourly rate', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 7n), max: 10n ** 8n }), fc.constantFrom(...TIERS), (balance, tier) => {
        expect(isTierUnlocked(balance, tier)).toBe(balance >= rateOf(tier));
      }),
    );
  });
});

describe('msRemaining', () => {
  it('gives whole milliseconds the balance pays for', () => {
    expect(msRemaining(750_000n, 750_000n)).toBe(MS_PER_HOUR);
    expect(msRemaining(12_500n, 750_000n)).toBe(60_000n);
    expect(msRemaining(1n, 1_000_000n)).toBe(3n);
  });

  it('is zero for an empty or negative balance', () => {
    expect(msRemaining(0n, 500_000n)).toBe(0n);
    expect(msRemaining(-100n, 500_000n)).toBe(0n);
  });

  it.each([0n, -1n])('refuses the rate %d', (rate) => {
    expectAppError(() => msRemaining(1_000_000n, rate), 'invalid_amount');
  });

  it('is the largest number of milliseconds whose cost does not exceed the balance', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.bigInt({ min: 1n, max: 10n ** 9n }), (balance, rate) => {
        const ms = msRemaining(balance, rate);
        expect(ms * rate <= balance * MS_PER_HOUR).toBe(true);
        expect((ms + 1n) * rate > balance * MS_PER_HOUR).toBe(true);
        expect(costOver(rate, ms) <= balance).toBe(true);
      }),
    );
  });
});

describe('hoursRemaining', () => {
  it('gives hours at every tier for 27 credits', () => {
    const hours = hoursRemaining(credits('27'));
    expect(hours.country).toBe(54);
    expect(hours.city).toBe(36);
    expect(hours.isp).toBe(27);
    expect(hours.state).toBeCloseTo(27 / 0.85, 6);
  });

  it('gives zero hours for an empty or negative balance', () => {
    expect(hoursRemaining(0n)).toEqual({ country: 0, city: 0, state: 0, isp: 0 });
    expect(hoursRemaining(-5n)).toEqual({ country: 0, city: 0, state: 0, isp: 0 });
  });

  it('follows a custom configuration', () => {
    const custom = pricing({ country: 1_000_000n, city: 2_000_000n, state: 4_000_000n, isp: 8_000_000n });
    expect(hoursRemaining(credits('2'), custom)).toEqual({ country: 2, city: 1, state: 0.5, isp: 0.25 });
  });
});

describe('checkPricing', () => {
  const rates = DEFAULT_PRICING.ratesPerHour;

  it('returns a good configuration unchanged', () => {
    const custom = pricing({ country: 1n, city: 2n, state: 3n, isp: 4n }, 0);
    expect(checkPricing(custom)).toBe(custom);
  });

  it.each([
    ['a zero rate', { ...rates, city: 0n }],
    ['a negative rate', { ...rates, isp: -1_000_000n }],
    ['a number instead of a bigint', { ...rates, state: 850_000 }],
    ['a missing tier', { country: 500_000n, city: 750_000n, state: 850_000n }],
  ])('refuses %s', (_, badRates) => {
    const bad = { ratesPerHour: badRates, minStartMinutes: 60 } as unknown as PricingConfig;
    expectAppError(() => checkPricing(bad), 'invalid_amount');
  });

  it.each([-1, 1.5, NaN, Infinity])('refuses %d minutes to start', (minutes) => {
    expectAppError(() => checkPricing({ ratesPerHour: rates, minStartMinutes: minutes }), 'invalid_input');
  });
});
