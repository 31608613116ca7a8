import { expectAppError } from '../../support/expect-app-error.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.ts';
import {
  costOver,
  credits,
  formatCredits,
  MICRO_PER_CREDIT,
  MS_PER_HOUR,
  toMicroCredits,
} from '../../../shared/money.ts';

const MINUTE = 60_000n;

describe('credits', () => {
  it.each([
    ['27', 27_000_000n],
    ['0', 0n],
    ['0.75', 750_000n],
    ['0.0125', 12_500n],
    ['0.000001', 1n],
    ['123.456789', 123_456_789n],
    ['-0.5', -500_000n],
    ['00012', 12_000_000n],
    [' 5 ', 5_000_000n],
  ])('parses the string %j as %d µcr', (text, micro) => {
    expect(credits(text)).toBe(micro);
  });

  it.each([
    [27, 27_000_000n],
    [0.75, 750_000n],
    [0.1, 100_000n],
    [0.0125, 12_500n],
    [1e-6, 1n],
    [-1.5, -1_500_000n],
    [0, 0n],
  ])('parses the number %d as %d µcr', (value, micro) => {
    expect(credits(value)).toBe(micro);
  });

  it.each(['0.1234567', '1.0000001', '0.0000001', '-0.0000005'])('refuses 7 decimals in %j', (text) => {
    expectAppError(() => credits(text), 'invalid_amount');
  });

  it('refuses a number finer than a micro-credit instead of rounding it', () => {
    expectAppError(() => credits(1e-7), 'invalid_amount');
    expectAppError(() => credits(0.1234567), 'invalid_amount');
  });

  it.each([1e-21, 4e-21, 1e-300, -1e-300, 0.000001 + 5e-22, 0.00001 + 3.4e-21])(
    'refuses %d, whose digits lie past the 20th decimal',
    (value) => {
      expect(() => credits(value)).toThrow(AppError);
    },
  );

  it('reads a whole number of 1e21 or more exactly', () => {
    expect(credits(1e21)).toBe(10n ** 27n);
  });

  it('refuses the float sum 0.1 + 0.2, which is not 0.3', () => {
    expectAppError(() => credits(0.1 + 0.2), 'invalid_amount');
  });

  it.each([NaN, Infinity, -Infinity])('refuses %d', (value) => {
    expectAppError(() => credits(value), 'invalid_amount');
  });

  it.each(['', ' ', 'abc', '1e3', '+5', '.5', '5.', '1,5', '1_000', '0x10', '5 credits', '--1', '١٢'])(
    'refuses the junk string %j',
    (text) => {
      expectAppError(() => credits(text), 'invalid_amount');
    },
  );

  it('names the refused text in the message and maps to HTTP 400', () => {
    try {
      credits('twelve');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).message).toContain('twelve');
      expect((error as AppError).status).toBe(400);
    }
  });

  it('parses any decimal string with at most 6 decimals exactly', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 30n }),
        fc.integer({ min: 0, max: 999_999 }),
        fc.boolean(),
        (whole, fraction, negative) => {
          const text = `${negative ? '-' : ''}${whole}.${String(fraction).padStart(6, '0')}`;
          const micro = whole * MICRO_PER_CREDIT + BigInt(fraction);
          expect(credits(text)).toBe(negative ? -micro : micro);
        },
      ),
    );
  });

  it('refuses any decimal string with a 7th decimal digit', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 999_999 }), fc.integer({ min: 1, max: 9 }), (w, f, d) => {
        expectAppError(() => credits(`${w}.${String(f).padStart(6, '0')}${d}`), 'invalid_amount');
      }),
    );
  });

  it('parses the number micro / 1e6 back to micro for up to 15 significant digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(10 ** 15), max: 10 ** 15 }), (micro) => {
        expect(credits(micro / 1e6)).toBe(BigInt(micro));
      }),
    );
  });
});

describe('formatCredits', () => {
  it.each([
    [0n, '0.00'],
    [27_000_000n, '27.00'],
    [750_000n, '0.75'],
    [12_500n, '0.0125'],
    [1n, '0.000001'],
    [1_500_000n, '1.50'],
    [-5n, '-0.000005'],
    [-26_987_500n, '-26.9875'],
  ])('formats %d µcr as %j', (micro, text) => {
    expect(formatCredits(micro)).toBe(text);
  });

  it('pads to the minimum number of decimals asked for, never trimming real digits', () => {
    expect(formatCredits(1_500_000n, 0)).toBe('1.5');
    expect(formatCredits(2_000_000n, 0)).toBe('2');
    expect(formatCredits(12_500n, 0)).toBe('0.0125');
    expect(formatCredits(12_500n, 6)).toBe('0.012500');
  });

  it('round-trips through credits for any bigint', () => {
    fc.assert(
      fc.property(fc.bigInt(), (micro) => {
        expect(credits(formatCredits(micro))).toBe(micro);
      }),
    );
  });

  it('round-trips through credits with any minimum of decimals up to 6', () => {
    fc.assert(
      fc.property(fc.bigInt(), fc.integer({ min: 0, max: 6 }), (micro, minDecimals) => {
        expect(credits(formatCredits(micro, minDecimals))).toBe(micro);
      }),
    );
  });
});

describe('toMicroCredits', () => {
  it('passes a bigint through unchanged', () => {
    expect(toMicroCredits(12_500n)).toBe(12_500n);
    expect(toMicroCredits(-3n)).toBe(-3n);
    expect(toMicroCredits(10n ** 30n)).toBe(10n ** 30n);
  });

  it('converts a safe integer', () => {
    expect(toMicroCredits(0)).toBe(0n);
    expect(toMicroCredits(750_000)).toBe(750_000n);
    expect(toMicroCredits(-42)).toBe(-42n);
    expect(toMicroCredits(Number.MAX_SAFE_INTEGER)).toBe(BigInt(Number.MAX_SAFE_INTEGER));
  });

  it.each([1.5, 0.1, NaN, Infinity, -Infinity, 2 ** 53, '12', '12n', null, undefined, {}, [1], true])(
    'refuses %j',
    (value) => {
      expectAppError(() => toMicroCredits(value), 'invalid_amount');
    },
  );

  it('names what was refused', () => {
    expect(() => toMicroCredits(0.5, 'chargeAmount')).toThrow(/chargeAmount/);
  });
});

describe('costOver', () => {
  it('charges a city rate 12,500 µcr for one minute exactly', () => {
    expect(costOver(750_000n, MINUTE)).toBe(12_500n);
  });

  it('charges the full rate for one hour', () => {
    expect(costOver(850_000n, MS_PER_HOUR)).toBe(850_000n);
  });

  it('rounds down to the micro-credit', () => {
    // 850,000 × 7 / 60 = 99,166.67
    expect(costOver(850_000n, 7n * MINUTE)).toBe(99_166n);
    // 1,000,000 µcr/h is 0.2778 µcr/ms
    expect(costOver(1_000_000n, 1n)).toBe(0n);
    expect(costOver(1_000_000n, 3n)).toBe(0n);
    expect(costOver(1_000_000n, 4n)).toBe(1n);
    expect(costOver(500_000n, MS_PER_HOUR - 1n)).toBe(499_999n);
  });

  it('charges nothing for zero or negative elapsed time', () => {
    expect(costOver(750_000n, 0n)).toBe(0n);
    expect(costOver(750_000n, -1n)).toBe(0n);
    expect(costOver(750_000n, -MS_PER_HOUR)).toBe(0n);
  });

  it('is exactly floor(rate × ms / 1h)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 9n }), fc.bigInt({ min: 1n, max: 10n ** 12n }), (rate, ms) => {
        const cost = costOver(rate, ms);
        expect(cost * MS_PER_HOUR <= rate * ms).toBe(true);
        expect((cost + 1n) * MS_PER_HOUR > rate * ms).toBe(true);
      }),
    );
  });

  const rate = fc.bigInt({ min: 1n, max: 10n ** 9n });
  const elapsed = fc.bigInt({ min: 0n, max: 10n ** 12n });

  it('is monotonic in elapsed time', () => {
    fc.assert(
      fc.property(rate, elapsed, elapsed, (r, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(costOver(r, lo) <= costOver(r, hi)).toBe(true);
      }),
    );
  });

  it('is additive within one micro-credit of rounding', () => {
    fc.assert(
      fc.property(rate, elapsed, elapsed, (r, a, b) => {
        const excess = costOver(r, a + b) - costOver(r, a) - costOver(r, b);
        expect([0n, 1n]).toContain(excess);
      }),
    );
  });

  it('charged cumulatively step by step, adds up to the cost at the final time with no drift', () => {
    fc.assert(
      fc.property(rate, fc.array(fc.bigInt({ min: 0n, max: 10n * MINUTE }), { maxLength: 200 }), (r, steps) => {
        let at = 0n;
        let charged = 0n;
        for (const step of steps) {
          at += step;
          const charge = costOver(r, at) - charged;
          expect(charge >= 0n).toBe(true);
          charged += charge;
        }
        expect(charged).toBe(costOver(r, at));
      }),
    );
  });

  it('loses the fractions when each step is charged on its own, which is why charging is cumulative', () => {
    // 1,000 steps of 1 ms at 1 credit/h: each rounds to 0, the whole is 277 µcr.
    let separate = 0n;
    for (let i = 0; i < 1_000; i++) separate += costOver(1_000_000n, 1n);
    expect(separate).toBe(0n);
    expect(costOver(1_000_000n, 1_000n)).toBe(277n);
  });
});
