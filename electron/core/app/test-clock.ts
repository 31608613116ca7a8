import type { ConnectionManager } from '../connection/connection-manager.ts';
import type { WalletSync } from '../wallet/wallet-sync.ts';
import { CoreError } from './core-error.ts';
import type { EmbeddedBillingPort } from './embedded-billing-port.ts';

/** The service ends a session after 2 minutes without a heartbeat: time never jumps further than this between two. */
export const TEST_CLOCK_STEP_MS = 60_000;

/**
 * End-to-end tests only: moves the embedded service's test clock by `ms`, the
 * way real time would pass with the app running — the live session heartbeats
 * and metering ticks after every step — then refreshes the wallet.
 */
export async function advanceTestClock(
  embedded: EmbeddedBillingPort | undefined,
  manager: ConnectionManager,
  wallet: WalletSync,
  ms: number,
): Promise<void> {
  if (!embedded?.advanceClock || !embedded.tick) {
    throw new CoreError(
      'no_test_clock',
      'Only the embedded billing service started with its test clock can move time.',
    );
  }
  for (let left = ms; left > 0; left -= TEST_CLOCK_STEP_MS) {
    await embedded.advanceClock(Math.min(TEST_CLOCK_STEP_MS, left));
    await manager.checkNow();
    await embedded.tick();
  }
  // The last tick may have ended the session (credits ran out): hear about it now.
  await manager.checkNow();
  await wallet.refreshNow();
}
