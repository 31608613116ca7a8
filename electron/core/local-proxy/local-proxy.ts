import ipaddr from 'ipaddr.js';
import type http from 'node:http';
import net, { type Socket } from 'node:net';
import { readConnectHead } from '../../../relay/connect-head.ts';
import { GatewayTunnelError, openGatewayTunnel } from './gateway-tunnel.ts';
import { createHttpFront } from './http-front.ts';
import type { GatewayRefusalNotice, ProxyRoute } from './proxy-route.ts';
import { relay } from './relay.ts';
import { serveConnect, type ConnectDeps } from './serve-connect.ts';
import { acceptSocksConnect, SOCKS_VERSION, SocksReply, socksReply } from './socks5.ts';

/** Loopback only: the local proxy is for this machine's apps, never the network's. */
export const LOCAL_PROXY_HOST = '127.0.0.1';

/** Whether a peer address is this machine's loopback (127/8, ::1, or either spelled as IPv6). */
export function isLoopbackPeer(address: string | undefined): boolean {
  if (!address || !ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address);
  return parsed.range() === 'loopback';
}

export interface LocalProxyOptions {
  /** 0: any free port (see `LocalProxy.port`). */
  port: number;
  /** Read for every new connection: the session's gateway, or why there is none. */
  route(): ProxyRoute;
  /** Told when the gateway refuses the session, so the app can find out why at once. */
  onGatewayRefused?(notice: GatewayRefusalNotice): void;
}

export class LocalProxyError extends Error {
  readonly code: 'port_in_use' | 'listen_failed';

  constructor(code: LocalProxyError['code'], message: string) {
    super(message);
    this.name = 'LocalProxyError';
    this.code = code;
  }
}

/** The SOCKS5 reply that best says why the gateway could not open the tunnel (a forbidden destination: 0x02). */
function socksReplyFor(error: unknown): number {
  if (!(error instanceof GatewayTunnelError)) return SocksReply.generalFailure;
  if (error.refusal || error.status === 407) return SocksReply.notAllowed;
  if (error.status === 594) return SocksReply.connectionRefused; // proxy-chain's "connection refused"
  if (error.status === 593 || error.status === 504) return SocksReply.hostUnreachable;
  if (error.status === undefined) return SocksReply.networkUnreachable;
  return SocksReply.generalFailure;
}

/**
 * The proxy apps on this machine point at: HTTP (CONNECT and absolute URI)
 * and SOCKS5 on one loopback port, told apart by the first byte (SOCKS5 opens
 * with 0x05, HTTP with a method name), all forwarded through the gateway. A
 * plain CONNECT, what an app opens for every HTTPS connection, is served
 * without Node's HTTP server, which would cost a short tunnel more than the
 * relaying does.
 */
export class LocalProxy {
  readonly #options: LocalProxyOptions;
  readonly #server: net.Server;
  readonly #http: http.Server;
  readonly #connectDeps: ConnectDeps;
  readonly #clients = new Set<Socket>();
  #port = 0;

  constructor(options: LocalProxyOptions) {
    this.#options = options;
    this.#connectDeps = { route: () => options.route(), onGatewayRefused: (n) => this.#refused(n) };
    this.#http = createHttpFront(this.#connectDeps);
    this.#server = net.createServer((socket) => this.#accept(socket));
  }

  /** The bound port, once started. */
  get port(): number {
    return this.#port;
  }

  async start(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      const failed = (error: NodeJS.ErrnoException) => {
        const port = this.#options.port;
        reject(
          error.code === 'EADDRINUSE'
            ? new LocalProxyError(
                'port_in_use',
                `Port ${port} on ${LOCAL_PROXY_HOST} is already in use by another program; choose another local proxy port.`,
              )
            : new LocalProxyError(
                'listen_failed',
                `The local proxy could not listen on port ${port}: ${error.message}`,
              ),
        );
      };
      this.#server.once('error', failed);
      this.#server.listen(this.#options.port, LOCAL_PROXY_HOST, () => {
        this.#server.off('error', failed);
        resolve();
      });
    });
    this.#port = (this.#server.address() as net.AddressInfo).port;
    return this.#port;
  }

  /** Drops every open connection, e.g. when the session ends; new ones get the refusal. */
  closeTunnels(): void {
    for (const socket of this.#clients) socket.destroy();
  }

  openConnections(): number {
    return this.#clients.size;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.closeTunnels();
    await closed;
  }

  #accept(socket: Socket): void {
    // It listens on loopback only; this holds even if that ever changes: nobody else may use the user's session.
    if (!isLoopbackPeer(socket.remoteAddress)) return void socket.destroy();
    this.#clients.add(socket);
    socket.once('close', () => this.#clients.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.pause();
      const connect = first[0] === SOCKS_VERSION ? undefined : readConnectHead(first);
      if (connect) {
        const target = { host: connect.hostname.replace(/^\[|\]$/g, ''), port: connect.port };
        return void serveConnect(socket, target, connect.rest, this.#connectDeps);
      }
      socket.unshift(first);
      if (first[0] === SOCKS_VERSION) {
        void this.#socks(socket);
      } else {
        this.#http.emit('connection', socket);
        socket.resume();
      }
    });
  }

  async #socks(client: Socket): Promise<void> {
    let request: Awaited<ReturnType<typeof acceptSocksConnect>>;
    try {
      request = await acceptSocksConnect(client);
    } catch {
      return; // answered and closed by the handshake
    }
    const route = this.#options.route();
    if ('refusal' in route) {
      client.end(socksReply(SocksReply.notAllowed), () => client.destroy());
      return;
    }
    try {
      const tunnel = await openGatewayTunnel(route.gateway, request, { recycled: true });
      if (client.destroyed) return void tunnel.socket.destroy();
      client.write(socksReply(SocksReply.succeeded));
      relay(client, tunnel);
    } catch (error) {
      if (error instanceof GatewayTunnelError && error.refusal) this.#refused(error.refusal);
      client.end(socksReply(socksReplyFor(error)), () => client.destroy());
    }
  }

  #refused(notice: GatewayRefusalNotice): void {
    // A forbidden destination says nothing about the session: no reason for the app to check on it.
    if (notice.code === 'destination_forbidden') return;
    this.#options.onGatewayRefused?.(notice);
  }
}
