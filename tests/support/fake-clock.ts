import type { Clock } from '../../shared/clock.ts';

/** A clock that moves only when told to. */
export class FakeClock implements Clock {
  #now: number;

  constructor(start = Date.UTC(2026, 0, 1, 12, 0, 0)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  advance(ms: number): number {
    this.#now += ms;
    return this.#now;
  }

  set(ms: number): void {
    this.#now = ms;
  }
}

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
