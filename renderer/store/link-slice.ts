import type { SliceOf } from './app-store.ts';
import { atlantic } from './bridge-ref.ts';

export interface LinkSlice {
  /** False while the window can't reach the core (the headless host's socket is down). */
  coreOnline: boolean;
  setCoreOnline(up: boolean): void;
}

export const createLinkSlice: SliceOf<LinkSlice> = (set, get) => ({
  coreOnline: true,
  setCoreOnline: (up) => {
    if (up === get().coreOnline) return;
    set({ coreOnline: up });
    if (!up || get().boot.status !== 'ready') return;
    // Back: events sent while the link was down are lost, so read the whole state again.
    void atlantic()
      .app.state()
      .then((state) => {
        set({ info: state.info, settings: state.settings, connection: state.connection });
        get().applyWallet(state.wallet);
      })
      .catch(() => undefined);
  },
});
