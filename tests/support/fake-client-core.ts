import type { IpcEmit, IpcHandlers, InvokeChannel, NotifyChannel, EventOf } from '../../shared/ipc/bridge.ts';
import type { AppState, WalletSnapshot } from '../../shared/ipc/views.ts';
import type { ClientCore, TrayModel } from '../../electron/core/client-core-types.ts';
import { EMPTY_WALLET } from '../../electron/core/wallet/wallet-sync.ts';

export const fakeAppState = (wallet: WalletSnapshot): AppState => ({
  info: {
    mode: 'embedded',
    server_url: 'http://127.0.0.1:1',
    signed_in: true,
    account: null,
    local_proxy: {
      host: '127.0.0.1',
      port: 8899,
      http_url: 'http://127.0.0.1:8899',
      socks_url: 'socks5://127.0.0.1:8899',
      problem: null,
    },
    version: '0.0.0-test',
  },
  settings: {
    server_url: null,
    local_proxy_port: 8899,
    start_at_login: false,
    notifications: true,
    last_location: null,
    system_proxy: false,
    auto_connect: false,
  },
  wallet,
  connection: { status: 'disconnected' },
  desktop: {
    system_proxy: { state: 'off', desktop: 'GNOME', message: null },
    update: { state: 'disabled', version: null, percent: null, message: null },
  },
});

export interface FakeClientCore extends ClientCore {
  /** Every call that reached a handler, after handleIpc validated it. */
  calls: { channel: InvokeChannel; request: unknown }[];
  /** Emits an event as the real core would. */
  emit<C extends NotifyChannel>(channel: C, event: EventOf<C>): void;
  /** How far the test clock has been moved. */
  advancedMs: number;
  quitCalls: number;
  wallet: WalletSnapshot;
}

/**
 * A stand-in for the client core: answers `app.state` and `wallet.refresh`
 * from a fixed snapshot, records every call, and throws a coded error for the
 * rest, so host tests run without billing. `testClock: false` leaves it out.
 */
export function fakeClientCore(options: { testClock?: boolean } = {}): FakeClientCore {
  const listeners = new Set<IpcEmit>();
  const fake: FakeClientCore = {
    calls: [],
    advancedMs: 0,
    quitCalls: 0,
    wallet: { ...EMPTY_WALLET },
    handlers: new Proxy({} as IpcHandlers, {
      get: (_target, channel: InvokeChannel) => async (request: unknown) => {
        fake.calls.push({ channel, request });
        if (channel === 'app.state') return fakeAppState(fake.wallet);
        if (channel === 'wallet.refresh') return fake.wallet;
        throw Object.assign(new Error(`The fake core does not answer ${channel}.`), { code: 'not_implemented' });
      },
    }),
    subscribe(emit) {
      listeners.add(emit);
      return () => listeners.delete(emit);
    },
    emit(channel, event) {
      for (const listener of listeners) listener(channel, event);
    },
    trayModel: (): TrayModel => ({ icon: 'disconnected', tooltip: 'Atlantic Proxy', menu: [] }),
    onTrayModel: () => () => {},
    connectLast: async () => {},
    restartToUpdate: () => {},
    setWindowVisible: () => {},
    async quit() {
      fake.quitCalls += 1;
    },
    testClock:
      (options.testClock ?? true)
        ? {
            async advance(ms: number) {
              fake.advancedMs += ms;
              const now = new Date(Date.UTC(2026, 0, 1) + fake.advancedMs);
              fake.wallet = { ...fake.wallet, fetched_at: now.toISOString() };
            },
          }
        : undefined,
  };
  return fake;
}
