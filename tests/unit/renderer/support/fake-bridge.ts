import { vi } from 'vitest';
import {
  createBridge,
  type InvokeChannel,
  type IpcResult,
  type NotifyChannel,
  type RequestOf,
  type ResponseOf,
  type EventOf,
} from '../../../../shared/ipc/bridge.ts';
import * as fixtures from './fixtures.ts';

type Handler<C extends InvokeChannel> = (request: RequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C>;
type Handlers = { [C in InvokeChannel]: Handler<C> };

/** A refusal the way the core sends one: the bridge rethrows it as IpcError. */
export class CoreRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const defaults = (): Handlers => ({
  'app.state': () => fixtures.appState(),
  'wallet.refresh': () => fixtures.snapshot(27_000_000),
  'credits.packages': () => fixtures.packagesResponse(),
  'credits.purchase': () => fixtures.payment('pending'),
  'credits.payment': () => fixtures.payment('pending'),
  'credits.payments': () => ({ payments: [] }),
  'credits.transactions': () => ({ transactions: [], next_cursor: null }),
  'credits.receipt': ({ payment_id }) => ({
    filename: `atlantic-receipt-${payment_id}.html`,
    html: '<h1>Receipt</h1>',
  }),
  'credits.exportCsv': () => ({ filename: 'transactions.csv', csv: 'id,kind\n' }),
  'credits.usage': () => ({ days: fixtures.usageDays(30, []) }),
  'autoTopup.get': () => fixtures.autoTopup(),
  'autoTopup.set': (request) =>
    fixtures.autoTopup({
      enabled: request.enabled,
      package_id: request.package_id,
      threshold: Number(request.threshold),
      threshold_micro: Math.round(Number(request.threshold) * 1_000_000),
      monthly_cap_cents: request.monthly_cap_cents,
    }),
  'autoTopup.removeCard': () => fixtures.autoTopup({ card: null }),
  'proxy.sessions': () => ({ sessions: [] }),
  'locations.list': () => fixtures.locationsResponse(),
  'connection.connect': ({ session_mode, sticky_minutes, ...targeting }) => ({
    status: 'connected',
    targeting,
    session: fixtures.session({ session_mode, sticky_minutes: session_mode === 'rotating' ? null : sticky_minutes }),
  }),
  'connection.disconnect': () => ({ status: 'disconnected' }),
  'connection.reconnect': ({ session_mode, sticky_minutes, ...targeting }) => ({
    status: 'connected',
    targeting,
    session: fixtures.session({ targeting, session_mode, sticky_minutes: sticky_minutes ?? null }),
  }),
  'settings.update': (patch) => ({ ...fixtures.settings(), ...patch }),
  'desktop.restartToUpdate': () => fixtures.appState().desktop,
  'account.signIn': (request) => fixtures.info({ mode: 'remote', server_url: request.server_url, signed_in: true }),
  'account.signOut': () => fixtures.info({ mode: 'remote', signed_in: false, account: null }),
  'account.useEmbedded': () => fixtures.info(),
});

/**
 * window.atlantic over an in-memory transport: the real createBridge, so calls
 * and refusals behave as in the app; handlers answer, `emit` plays the core's events.
 */
export function fakeBridge(overrides: Partial<Handlers> = {}) {
  const handlers = { ...defaults(), ...overrides } as Handlers;
  const calls = vi.fn<(channel: InvokeChannel, payload: unknown) => void>();
  const listeners = new Map<string, Set<(event: unknown) => void>>();
  const bridge = createBridge({
    invoke: async (channel, payload): Promise<IpcResult> => {
      calls(channel, payload);
      try {
        const handler = handlers[channel] as (request: unknown) => unknown;
        return { ok: true, value: await handler(payload) };
      } catch (error) {
        const code = error instanceof CoreRefusal ? error.code : 'internal_error';
        return { ok: false, error: { code, message: (error as Error).message } };
      }
    },
    listen: (channel, listener) => {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  });
  return {
    bridge,
    calls,
    /** Replaces one channel's answer from now on. */
    handle<C extends InvokeChannel>(channel: C, handler: Handler<C>) {
      (handlers as Record<string, unknown>)[channel] = handler;
    },
    emit<C extends NotifyChannel>(channel: C, event: EventOf<C>) {
      for (const listener of listeners.get(channel) ?? []) listener(event);
    },
    callsTo(channel: InvokeChannel): unknown[] {
      return calls.mock.calls.filter(([c]) => c === channel).map(([, payload]) => payload);
    },
  };
}

export type FakeBridge = ReturnType<typeof fakeBridge>;

/** A handler that refuses every call with this code and message. */
export const refuse = (code: string, message: string) => (): never => {
  throw new CoreRefusal(code, message);
};

/** A handler whose answer the test releases (or refuses) later: for loading states. */
export function held<T>() {
  let release!: (value: T) => void;
  let fail!: (error: Error) => void;
  const handler = () =>
    new Promise<T>((resolve, reject) => {
      release = resolve;
      fail = reject;
    });
  return {
    handler,
    release: (value: T) => release(value),
    fail: (code: string, message: string) => fail(new CoreRefusal(code, message)),
  };
}
