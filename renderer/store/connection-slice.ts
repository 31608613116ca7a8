import type { ConnectionView } from '../../shared/ipc/views.ts';
import type { Targeting } from '../../shared/targeting.ts';
import type { SliceOf } from './app-store.ts';
import { atlantic } from './bridge-ref.ts';
import { messageOf } from './loadable.ts';
import { modeRequestOf } from './session-mode-slice.ts';

export interface ConnectionSlice {
  connection: ConnectionView;
  /** A Connect or Disconnect the core refused (e.g. insufficient_credits), until the next try. */
  connectionError: { code: string; message: string } | null;
  connectionBusy: boolean;
  /** The user has seen why the last session ended and moved on (bought credits): stop saying it. */
  endAcknowledged: boolean;
  applyConnection(view: ConnectionView): void;
  connect(targeting: Targeting): Promise<void>;
  disconnect(): Promise<void>;
  /** Ends the live session and starts one at `targeting`: the one action for a location changed while connected. */
  reconnect(targeting: Targeting): Promise<void>;
  acknowledgeEnd(): void;
}

function problemOf(error: unknown): { code: string; message: string } {
  const code = error && typeof error === 'object' && 'code' in error ? String(error.code) : 'error';
  return { code, message: messageOf(error) };
}

export const createConnectionSlice: SliceOf<ConnectionSlice> = (set, get) => {
  const run = async (...calls: (() => Promise<ConnectionView>)[]) => {
    set({ connectionBusy: true, connectionError: null });
    try {
      for (const call of calls) get().applyConnection(await call());
    } catch (error) {
      set({ connectionError: problemOf(error) });
    } finally {
      set({ connectionBusy: false });
    }
  };
  return {
    connection: { status: 'disconnected' },
    connectionError: null,
    connectionBusy: false,
    endAcknowledged: false,
    applyConnection: (view) =>
      set((s) => ({
        connection: view,
        endAcknowledged: view.status === 'ended' && s.connection.status !== 'ended' ? false : s.endAcknowledged,
      })),
    connect: (targeting) => run(() => atlantic().connection.connect({ ...targeting, ...modeRequestOf(get()) })),
    disconnect: () => run(() => atlantic().connection.disconnect()),
    reconnect: (targeting) => run(() => atlantic().connection.reconnect({ ...targeting, ...modeRequestOf(get()) })),
    acknowledgeEnd: () => set({ endAcknowledged: true }),
  };
};
