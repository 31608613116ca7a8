import type { ConnectRequest } from '../../../shared/api/proxy.ts';
import type { ConnectionView, Settings, WalletSnapshot } from '../../../shared/ipc/views.ts';
import type { Targeting } from '../../../shared/targeting.ts';
import type { CoreHost } from '../client-core-types.ts';
import { money, perHour } from '../../../shared/display.ts';
import { isChoiceUnlocked, rateOfChoice } from '../tray/location-label.ts';
import type { WalletSync } from '../wallet/wallet-sync.ts';
import { CoreError } from './core-error.ts';

/** The part of the core the connect flows drive. */
export interface FlowCore {
  readonly settings: Settings;
  readonly wallet: WalletSync;
  signedIn(): boolean;
  isLive(): boolean;
  /** A place, and optionally the session mode (sticky with its lifetime, or rotating). */
  connect(request: ConnectRequest): Promise<ConnectionView>;
  disconnect(): Promise<ConnectionView>;
}

/** Refuses targeting the balance doesn't unlock; the service refuses too, this spares a round trip and reads the same. */
export function checkUnlocked(targeting: Targeting, wallet: WalletSnapshot): void {
  if (!wallet.offline && !isChoiceUnlocked(targeting, wallet)) {
    const rate = rateOfChoice(targeting, wallet);
    const balance = wallet.balance?.balance_micro ?? 0;
    throw new CoreError(
      'insufficient_credits',
      rate === null
        ? 'Your balance does not cover an hour at this location. Add credits first.'
        : `Connecting at ${perHour(rate)} needs one hour of credit; you have ${money(balance)}. Add credits first.`,
    );
  }
}

/** The tray's "Connect to <last location>"; the window explains what the tray can't (no location yet, no credits). */
export async function connectLast(core: FlowCore, showWindow: CoreHost['showWindow']): Promise<void> {
  const last = core.settings.last_location;
  if (!last) return showWindow?.('locations');
  try {
    await core.connect(last);
  } catch (error) {
    const code = (error as { code?: string }).code;
    showWindow?.(code === 'insufficient_credits' ? 'buy' : 'locations');
  }
}

/** The auto-connect setting at start: the last location, without opening the window; a failure becomes a notice. */
export async function autoConnect(core: FlowCore, failed: (message: string) => void): Promise<void> {
  const last = core.settings.last_location;
  if (!core.settings.auto_connect || !last || !core.signedIn()) return;
  try {
    // Connect checks the targeting against the balance: know the balance first.
    await core.wallet.refreshNow();
    await core.connect(last);
  } catch (error) {
    failed(error instanceof Error ? error.message : String(error));
  }
}

/**
 * Reconnect to apply a new location: ends the live session (the service
 * charges it to the second) and starts one at `targeting`. A location the
 * balance can't unlock is refused before the live session is touched.
 */
export async function reconnect(core: FlowCore, request: ConnectRequest): Promise<ConnectionView> {
  if (!core.isLive()) return core.connect(request);
  checkUnlocked(request, core.wallet.snapshot);
  await core.disconnect();
  return core.connect(request);
}
