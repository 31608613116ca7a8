import type { AtlanticBridge } from '../../shared/ipc/bridge.ts';
import { coreLinkUp, onCoreLink } from '../bridge/link-status.ts';
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
    onCoreLink((up) => store().setCoreOnline(up)),
  ];
  store().setCoreOnline(coreLinkUp());
  void store()
    .loadAppState()
    .then(() => {
      if (store().boot.status !== 'ready') return;
      // The header's Connect needs a choice, and a reload mid-checkout picks the checkout up again.
      void store().loadLocations();
      void store().resumeCheckout();
    });
  return () => {
    for (const unsubscribe of unsubscribes) unsubscribe();
    setBridge(null);
  };
}
