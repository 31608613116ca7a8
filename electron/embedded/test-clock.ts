import type { Clock } from '../../shared/clock.ts';
import { TEST_CLOCK_SETTINGS, type TestClockMode } from '../core/embedded/service-protocol.ts';

/**
 * The service's clock in end-to-end tests, so a test can make a minute of proxy
 * use pass without waiting a minute. `running`: real time plus an offset that
 * only moves forward. `frozen`: the time the process started plus that offset,
 * so a minute advanced is exactly a minute charged (a test can assert 26.9875,
 * not "about"). It exists only when the process is started with
 * ATLANTIC_TEST_CLOCK set; a normal app runs on the system clock and nothing can
 * move it, because moving the clock moves what users are charged.
 */
export class TestClock implements Clock {
  readonly #frozenAt: number | undefined;
  #offsetMs = 0;

  constructor(mode: TestClockMode) {
    this.#frozenAt = mode === 'frozen' ? Date.now() : undefined;
  }

  now(): number {
    return (this.#frozenAt ?? Date.now()) + this.#offsetMs;
  }

  /** Moves the clock forward by `ms` and returns the new time. */
  advance(ms: number): number {
    this.#offsetMs += ms;
    return this.now();
  }
}

/** The test clock ATLANTIC_TEST_CLOCK asks for (`1` running, `frozen` frozen), or none. */
export function testClockFrom(setting: string | undefined): TestClock | undefined {
  const modes = Object.keys(TEST_CLOCK_SETTINGS) as TestClockMode[];
  const mode = modes.find((m) => TEST_CLOCK_SETTINGS[m] === setting);
  return mode ? new TestClock(mode) : undefined;
}
