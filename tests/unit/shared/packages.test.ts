import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.ts';
import { credits } from '../../../shared/money.ts';
import { DEFAULT_PACKAGES, findPackage, totalCredits } from '../../../shared/packages.ts';

function expectUnknownPackage(choice: { packageId?: string; amount?: number }): void {
  let thrown: unknown;
  try {
    findPackage(choice);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(AppError);
  expect((thrown as AppError).code).toBe('unknown_package');
  expect((thrown as AppError).status).toBe(400);
}

describe('default packages', () => {
  it('are the five from the design, in order of price', () => {
    expect(DEFAULT_PACKAGES.map((p) => p.priceCents)).toEqual([500, 1_000, 2_500, 5_000, 10_000]);
  });

  it.each([
    [5, '5', '0'],
    [10, '10', '0'],
    [25, '25', '2'],
    [50, '50', '5'],
    [100, '100', '15'],
  ])('$%d buys %s credits plus %s bonus', (dollars, paid, bonus) => {
    const found = findPackage({ amount: dollars });
    expect(found.priceCents).toBe(dollars * 100);
    expect(found.credits).toBe(credits(paid));
    expect(found.bonus).toBe(credits(bonus));
    expect(totalCredits(found)).toBe(credits(paid) + credits(bonus));
  });

  it('gives 1 credit per dollar paid, before the bonus', () => {
    for (const p of DEFAULT_PACKAGES) expect(p.credits).toBe(BigInt(p.priceCents) * 10_000n);
  });

  it('marks only $25 as popular', () => {
    expect(DEFAULT_PACKAGES.filter((p) => p.popular).map((p) => p.id)).toEqual(['usd_25']);
  });

  it('have unique ids', () => {
    expect(new Set(DEFAULT_PACKAGES.map((p) => p.id)).size).toBe(DEFAULT_PACKAGES.length);
  });
});

describe('findPackage', () => {
  it('finds a package by id', () => {
    const found = findPackage({ packageId: 'usd_50' });
    expect(found.priceCents).toBe(5_000);
    expect(totalCredits(found)).toBe(55_000_000n);
  });

  it('finds every package by its own id and by its dollar amount', () => {
    for (const p of DEFAULT_PACKAGES) {
      expect(findPackage({ packageId: p.id })).toBe(p);
      expect(findPackage({ amount: p.priceCents / 100 })).toBe(p);
    }
  });

  it('prefers the id when both are given', () => {
    expect(findPackage({ packageId: 'usd_25', amount: 100 }).id).toBe('usd_25');
    expectUnknownPackage({ packageId: 'usd_7', amount: 25 });
  });

  it.each([0, 7, -5, 25.5, 24.99, 2_500, NaN, Infinity, 4.999999999999999, 25.000000000000004])(
    'refuses the amount %d',
    (amount) => {
      expectUnknownPackage({ amount });
    },
  );

  it.each(['usd_7', 'usd_0', 'USD_25', 'usd_25 ', '25', ''])('refuses the id %j', (packageId) => {
    expectUnknownPackage({ packageId });
  });

  it('refuses a choice that names nothing', () => {
    expectUnknownPackage({});
  });

  it('looks only in the packages it is given', () => {
    const only = DEFAULT_PACKAGES.filter((p) => p.priceCents === 1_000);
    expect(findPackage({ amount: 10 }, only).id).toBe('usd_10');
    let thrown: unknown;
    try {
      findPackage({ amount: 25 }, only);
    } catch (error) {
      thrown = error;
    }
    expect((thrown as AppError).code).toBe('unknown_package');
  });
});
