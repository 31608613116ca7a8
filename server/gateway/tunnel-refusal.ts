import http from 'node:http';
import type { Socket } from 'node:net';
import { RequestError } from 'proxy-chain';

/**
 * Answers a CONNECT the gateway could not carry out, the way proxy-chain answers
 * the ones it handles (its status, headers and message, then close), so a client
 * reads the same whichever path served it. Anything but a RequestError is a 500.
 */
export function refuseTunnel(client: Socket, error: unknown): void {
  if (client.destroyed) return;
  const known = error instanceof RequestError;
  const status = known ? error.statusCode : 500;
  const message = known ? error.message : 'Internal error in proxy server';
  const headers: Record<string, string> = {
    ...Object.fromEntries(Object.entries(known ? (error.headers ?? {}) : {}).map(([k, v]) => [k.toLowerCase(), v])),
    connection: 'close',
    'content-type': 'text/plain; charset=utf-8',
    'content-length': String(Buffer.byteLength(message)),
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  client.setTimeout(1000, () => client.destroy());
  client.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? 'Unknown Status Code'}\r\n${lines.join('')}\r\n${message}`,
  );
}
