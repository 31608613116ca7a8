import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { handleIpc, type IpcResult } from '../../shared/ipc/bridge.ts';
import { WS_BRIDGE_PATH, wsCallSchema, type WsHostMessage } from '../../shared/ipc/ws-messages.ts';
import type { ClientCore } from '../core/client-core-types.ts';

// Calls are small JSON; a bigger frame is refused by ws before it is buffered.
const MAX_MESSAGE_BYTES = 256 * 1024;
const CLOSE_GRACE_MS = 2000;

export interface BridgeOptions {
  core: ClientCore;
  /** Whether the upgrade request carries the host's token. */
  authorized(request: IncomingMessage): boolean;
  log: Logger;
}

export interface Bridge {
  /** Closes every open socket with 1001 (going away) and stops accepting new ones. */
  close(): Promise<void>;
}

const refusal = (code: string, message: string): IpcResult => ({ ok: false, error: { code, message } });

function refuseUpgrade(socket: Duplex, status: number, reason: string, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost']);

/**
 * The upgrade comes from a page this host served: its Origin is the address it
 * was asked for, and that address is loopback (a DNS-rebinding name is not).
 * Going by the Host header rather than the listening port keeps an SSH tunnel
 * to another local port working.
 */
function fromOwnPage(request: IncomingMessage): boolean {
  const { host, origin } = request.headers;
  if (!host || !origin) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    return false;
  }
  return LOOPBACK_NAMES.has(hostname) && origin === `http://${host}`;
}

/** Answers one frame; never throws, whatever the frame holds. */
async function answer(core: ClientCore, data: RawData, isBinary: boolean, log: Logger): Promise<WsHostMessage> {
  if (isBinary) return { id: null, result: refusal('bad_message', 'Messages are JSON text.') };
  let message: unknown;
  try {
    message = JSON.parse(data.toString());
  } catch {
    return { id: null, result: refusal('bad_message', 'The message is not JSON.') };
  }
  const call = wsCallSchema.safeParse(message);
  if (!call.success) {
    const id = wsCallSchema.shape.id.safeParse((message as { id?: unknown } | null)?.id);
    const where = call.error.issues[0]?.path.join('.') || 'message';
    return {
      id: id.success ? id.data : null,
      result: refusal('bad_message', `${where}: expected {id, channel, payload}`),
    };
  }
  const { id, channel, payload } = call.data;
  const result = await handleIpc(core.handlers, channel, payload, (error) =>
    log.error({ err: error, channel }, 'bridge call failed'),
  );
  return { id, result };
}

/**
 * The IPC contract over one WebSocket per window: calls go to the core's
 * handlers through handleIpc (channel and payload checked against the shared
 * schema), and every event the core emits goes to every open window.
 */
export function attachBridge(server: Server, options: BridgeOptions): Bridge {
  const { core, log } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? '/', 'http://host.invalid').pathname;
    if (path !== WS_BRIDGE_PATH) return refuseUpgrade(socket, 404, 'Not Found', 'not_found', 'No such endpoint.');
    if (!options.authorized(request)) {
      return refuseUpgrade(socket, 401, 'Unauthorized', 'unauthorized', 'The bridge needs the host token.');
    }
    // A page on another origin could otherwise ride on the cookie (cross-site WebSocket hijacking).
    if (!fromOwnPage(request)) {
      return refuseUpgrade(socket, 403, 'Forbidden', 'forbidden_origin', 'The bridge only serves this host’s page.');
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });

  wss.on('connection', (ws: WebSocket) => {
    const send = (message: WsHostMessage): void => {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
    };
    const unsubscribe = core.subscribe((channel, payload) => send({ event: channel, payload }));
    ws.on('message', (data, isBinary) => {
      void answer(core, data, isBinary, log).then(send);
    });
    ws.on('error', (error) => log.warn({ err: error }, 'bridge socket error'));
    ws.on('close', unsubscribe);
    void pushState(core, send, log);
  });

  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.close(1001, 'host shutting down');
        // A window that never answers the close handshake doesn't hold the shutdown up.
        const stragglers = setTimeout(() => wss.clients.forEach((ws) => ws.terminate()), CLOSE_GRACE_MS);
        wss.close(() => {
          clearTimeout(stragglers);
          resolve();
        });
      }),
  };
}

/**
 * A window that reconnects may have missed events while it was away: each new
 * socket starts with the current state, as the events the core would have sent.
 */
async function pushState(core: ClientCore, send: (message: WsHostMessage) => void, log: Logger): Promise<void> {
  const state = await handleIpc(core.handlers, 'app.state', undefined);
  if (!state.ok) {
    log.warn({ problem: state.error }, 'could not read the app state for a new window');
    return;
  }
  const { info, settings, wallet, connection, desktop } = state.value as Record<string, unknown>;
  send({ event: 'app.infoChanged', payload: info });
  send({ event: 'settings.changed', payload: settings });
  send({ event: 'wallet.changed', payload: wallet });
  send({ event: 'connection.changed', payload: connection });
  send({ event: 'desktop.changed', payload: desktop });
}
