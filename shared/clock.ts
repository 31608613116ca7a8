import { AppError } from './errors.ts';

/** Time as the service and the client core see it; tests hand in a fake one. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

// The latest instant a JavaScript Date can hold.
const MAX_INSTANT = 8.64e15;

/**
 * `ms` as an instant: whole milliseconds since the epoch. Metering floors charges
 * over whole milliseconds, so a fraction, NaN or a time before 1970 is refused
 * before it can reach a query or a Date.
 */
export function instant(ms: unknown, name = 'now'): number {
  if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0 || ms > MAX_INSTANT) {
    throw new AppError('invalid_input', `${name} must be whole milliseconds since 1970`);
  }
  return ms;
}
