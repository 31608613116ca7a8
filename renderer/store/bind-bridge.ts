import type { AtlanticBridge } from '../../shared/ipc/bridge.ts';
import { useAppStore } from './app-store.ts';
import { setBridge } from './bridge-ref.ts';

/**
 * Connects the store to the core: events land in the store outside React,
 * then the first app.state call fills it. Returns the unsubscribe.
 */
export function bindBridge(bridge: AtlanticBridge): () => void {
  setBridge(bridge);
  const store = useAppStore.getState;
  const unsubscribes = [
    bridge.wallet.onChanged((snapshot) => store().applyWallet(snapshot)),
    bridge.connection.onChanged((view) => store().applyConnection(view)),
    bridge.settings.onChanged((settings) => store().applySettings(settings)),
    bridge.app.onInfoChanged((info) => store().applyInfo(info)),
    bridge.desktop.onChanged((desktop) => store().applyDesktop(desktop)),
    bridge.app.onNotice((notice) => store().pushNotice(notice)),
    bridge.credits.onPaymentChanged((payment) => store().applyPayment(payment)),
  ];
  void store().loadAppState();
  return () => {
    for (const unsubscribe of unsubscribes) unsubscribe();
    setBridge(null);
  };
}
