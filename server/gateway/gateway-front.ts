import type http from 'node:http';
import net, { type Socket } from 'node:net';
import { readConnectHead, type ConnectHead } from '../../relay/connect-head.ts';

// As long as Node's HTTP server waits for a request head (its `headersTimeout`).
const FIRST_BYTES_WAIT_MS = 60_000;

export interface FrontOptions {
  /** proxy-chain's HTTP server, handed every connection the fast path does not take. */
  http: http.Server;
  /** Told of every connection as it is accepted. */
  accepted(socket: Socket): void;
  /** Takes a plain CONNECT to serve at once (true), or leaves it to the HTTP server (false). */
  tunnel(client: Socket, head: ConnectHead): boolean;
}

/**
 * The gateway's listening socket. A connection's first bytes decide its way:
 * a plain CONNECT that `tunnel` takes is served without an HTTP parser (a
 * scraper's short tunnels, a thousand a second, mostly are such); everything
 * else (absolute-URI requests, upstream exits, refusals, unusual heads) goes to
 * proxy-chain's HTTP server as if it had accepted the connection itself.
 */
export function createGatewayFront(options: FrontOptions): net.Server {
  return net.createServer((socket) => {
    options.accepted(socket);
    socket.on('error', () => socket.destroy());
    socket.setTimeout(FIRST_BYTES_WAIT_MS, () => socket.destroy());
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      socket.setTimeout(0);
      const head = readConnectHead(chunk);
      if (head && options.tunnel(socket, head)) return;
      socket.unshift(chunk);
      options.http.emit('connection', socket);
      socket.resume();
    });
  });
}
