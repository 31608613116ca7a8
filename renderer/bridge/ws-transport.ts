import type { InvokeChannel, IpcResult, IpcTransport, NotifyChannel } from '../../shared/ipc/bridge.ts';
import { IpcError } from '../../shared/ipc/bridge-client.ts';
import type { WsCall, WsHostMessage } from '../../shared/ipc/ws-messages.ts';

/** The part of the browser's WebSocket the transport uses (ws's WebSocket has it too, for tests). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener<K extends keyof SocketEvents>(type: K, listener: (event: SocketEvents[K]) => void): void;
}

interface SocketEvents {
  open: unknown;
  error: unknown;
  message: { data: unknown };
  close: { code: number };
}

export interface WsTransportOptions {
  /** ws://127.0.0.1:PORT/bridge */
  url: string;
  createSocket?: (url: string) => SocketLike;
  /** First reconnect delay, doubled after each failed attempt up to maxBackoffMs. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long a call may wait for a connection before it fails with `bridge_unavailable`. */
  connectTimeoutMs?: number;
  /** Told true when the socket opens and false when it closes, so the window can say the core is unreachable. */
  onLinkChange?: (up: boolean) => void;
}

export interface WsTransport extends IpcTransport {
  /** Closes for good: no reconnect, waiting calls fail with `bridge_closed`. */
  close(): void;
}

const OPEN = 1;

interface Waiting {
  call: WsCall;
  resolve(result: IpcResult): void;
  reject(error: IpcError): void;
  timer?: ReturnType<typeof setTimeout>;
}

const closedError = (detail: string) =>
  new IpcError({ code: 'bridge_closed', message: `The connection to Atlantic Proxy closed ${detail}.` });

/**
 * The IPC contract over the headless host's WebSocket. Calls made while the
 * socket is (re)connecting wait for it; a call already sent when the socket
 * closes fails with `bridge_closed` rather than being sent twice (it may have
 * run: a purchase must not be repeated behind the user's back). The socket
 * reconnects with exponential backoff until close().
 */
export function createWsTransport(options: WsTransportOptions): WsTransport {
  const createSocket: (url: string) => SocketLike = options.createSocket ?? ((url) => new WebSocket(url));
  const initialBackoffMs = options.initialBackoffMs ?? 250;
  const maxBackoffMs = options.maxBackoffMs ?? 5000;
  const connectTimeoutMs = options.connectTimeoutMs ?? 15_000;

  const sent = new Map<number, Waiting>();
  const queued: Waiting[] = [];
  const listeners = new Map<string, Set<(event: unknown) => void>>();
  let socket: SocketLike | undefined;
  let nextId = 1;
  let failures = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  function send(waiting: Waiting): void {
    clearTimeout(waiting.timer);
    sent.set(waiting.call.id, waiting);
    socket!.send(JSON.stringify(waiting.call));
  }

  function receive(data: unknown): void {
    let message: WsHostMessage;
    try {
      message = JSON.parse(String(data)) as WsHostMessage;
    } catch {
      console.warn('Atlantic Proxy bridge: unreadable message from the host');
      return;
    }
    if ('event' in message) {
      for (const listener of listeners.get(message.event) ?? []) {
        try {
          listener(message.payload);
        } catch (error) {
          console.error(`Atlantic Proxy bridge: a ${message.event} listener failed`, error);
        }
      }
      return;
    }
    const waiting = message.id === null ? undefined : sent.get(message.id);
    if (!waiting) {
      console.warn('Atlantic Proxy bridge: the host refused a message', message.result);
      return;
    }
    sent.delete(message.id!);
    waiting.resolve(message.result);
  }

  function connect(): void {
    const current = createSocket(options.url);
    socket = current;
    current.addEventListener('open', () => {
      failures = 0;
      options.onLinkChange?.(true);
      for (const waiting of queued.splice(0)) send(waiting);
    });
    current.addEventListener('message', (event) => receive(event.data));
    // A failed socket always closes next; the close handler decides what happens.
    current.addEventListener('error', () => {});
    current.addEventListener('close', (event) => {
      if (socket === current) socket = undefined;
      if (!closed) options.onLinkChange?.(false);
      for (const waiting of sent.values()) waiting.reject(closedError(`before it answered (code ${event.code})`));
      sent.clear();
      if (closed) return;
      const delay = Math.min(maxBackoffMs, initialBackoffMs * 2 ** failures);
      failures += 1;
      reconnectTimer = setTimeout(connect, delay);
    });
  }

  connect();

  return {
    invoke(channel: InvokeChannel, payload: unknown): Promise<IpcResult> {
      return new Promise<IpcResult>((resolve, reject) => {
        if (closed) return reject(closedError('for good'));
        const waiting: Waiting = { call: { id: nextId++, channel, payload }, resolve, reject };
        if (socket?.readyState === OPEN) return send(waiting);
        waiting.timer = setTimeout(() => {
          queued.splice(queued.indexOf(waiting), 1);
          reject(new IpcError({ code: 'bridge_unavailable', message: 'Atlantic Proxy is not reachable.' }));
        }, connectTimeoutMs);
        queued.push(waiting);
      });
    },
    listen(channel: NotifyChannel, listener: (event: unknown) => void): () => void {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(listener);
      return () => set.delete(listener);
    },
    close(): void {
      if (closed) return;
      closed = true;
      clearTimeout(reconnectTimer);
      for (const waiting of queued.splice(0)) {
        clearTimeout(waiting.timer);
        waiting.reject(closedError('for good'));
      }
      socket?.close(1000, 'window closed');
    },
  };
}
