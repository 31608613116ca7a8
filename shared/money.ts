import { AppError } from './errors.ts';

/**
 * Money is integer micro-credits (µcr) held in `bigint` from the database to the
 * last step of display. 1 credit = 1,000,000 µcr and is priced at 1 USD.
 */
export type MicroCredits = bigint;

export const MICRO_PER_CREDIT = 1_000_000n;
export const MS_PER_HOUR = 3_600_000n;

/** Whole or decimal credits ("27", "0.0125", 0.75) to µcr, refusing anything finer than 1 µcr. */
export function credits(value: number | string): MicroCredits {
  const text = typeof value === 'number' ? numberToPlainString(value) : value.trim();
  const match = /^(-?)(\d+)(?:\.(\d{1,6}))?$/.exec(text);
  if (!match) {
    throw new AppError('invalid_amount', `"${text}" is not an amount of credits with at most 6 decimals`);
  }
  const [, sign, whole, fraction = ''] = match;
  const micro = BigInt(whole!) * MICRO_PER_CREDIT + BigInt(fraction.padEnd(6, '0'));
  return sign === '-' ? -micro : micro;
}

function numberToPlainString(value: number): string {
  const text = String(value);
  // Exponent form means ≥ 1e21 (a whole number, spelled out here) or below 1e-6,
  // which is finer than a micro-credit and fails the pattern, as it should.
  return /e/i.test(text) && Number.isInteger(value) ? BigInt(value).toString() : text;
}

/** µcr to a display number of credits. Display only: never compute with the result. */
export function toCredits(micro: MicroCredits): number {
  return Number(micro) / Number(MICRO_PER_CREDIT);
}

/** µcr to an exact decimal string of credits, trailing zeros trimmed ("0.0125"). */
export function formatCredits(micro: MicroCredits, minDecimals = 2): string {
  const negative = micro < 0n;
  const abs = negative ? -micro : micro;
  const whole = abs / MICRO_PER_CREDIT;
  const fraction = (abs % MICRO_PER_CREDIT).toString().padStart(6, '0').replace(/0+$/, '');
  const shown = fraction.padEnd(minDecimals, '0');
  return `${negative ? '-' : ''}${whole}${shown ? `.${shown}` : ''}`;
}

/** Accepts a bigint or a safe integer; anything else (fractions, NaN, strings) is refused. */
export function toMicroCredits(value: unknown, what = 'amount'): MicroCredits {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  throw new AppError('invalid_amount', `${what} must be a whole number of micro-credits`);
}

/** What `ratePerHour` costs over `elapsedMs`, rounded down to the micro-credit. */
export function costOver(ratePerHour: MicroCredits, elapsedMs: bigint): MicroCredits {
  if (elapsedMs <= 0n) return 0n;
  return (ratePerHour * elapsedMs) / MS_PER_HOUR;
}
