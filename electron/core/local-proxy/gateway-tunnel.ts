import http from 'node:http';
import type { Socket } from 'node:net';
import { GATEWAY_REFUSAL_HEADER, parseRefusal } from '../../../shared/api/gateway.ts';
import type { GatewayRefusalNotice } from './proxy-route.ts';

type GatewayCredentials = { host: string; port: number; username: string; password: string };

const MAX_REASON_BYTES = 4096;
const REASON_WAIT_MS = 1000;

/** Why a tunnel could not be opened: the gateway said no (status), or could not be reached. */
export class GatewayTunnelError extends Error {
  readonly status: number | undefined;
  readonly refusal: GatewayRefusalNotice | null;

  constructor(message: string, status?: number, refusal: GatewayRefusalNotice | null = null) {
    super(message);
    this.name = 'GatewayTunnelError';
    this.status = status;
    this.refusal = refusal;
  }
}

/** host:port as a CONNECT target, with IPv6 literals in brackets. */
export function authorityOf(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** The gateway's short reason text that follows a refusal, read with a size and time limit. */
function readReason(socket: Socket, head: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const chunks = [head];
    let size = head.length;
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).subarray(0, MAX_REASON_BYTES).toString('utf8').trim());
    };
    const timer = setTimeout(done, REASON_WAIT_MS);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= MAX_REASON_BYTES) done();
    });
    socket.once('end', done).once('error', done);
  });
}

/**
 * Opens a CONNECT tunnel to `target` through the gateway, authenticated as the
 * session. The hostname is passed through, so names resolve on the gateway side.
 */
export function openGatewayTunnel(
  gateway: GatewayCredentials,
  target: { host: string; port: number },
  timeoutMs = 10_000,
): Promise<Socket> {
  const authority = authorityOf(target.host, target.port);
  const credentials = Buffer.from(`${gateway.username}:${gateway.password}`).toString('base64');
  return new Promise((resolve, reject) => {
    const request = http.request({
      host: gateway.host,
      port: gateway.port,
      method: 'CONNECT',
      path: authority,
      headers: { host: authority, 'proxy-authorization': `Basic ${credentials}` },
      timeout: timeoutMs,
    });
    request.once('connect', (response: http.IncomingMessage, socket: Socket, head: Buffer) => {
      socket.setTimeout(0);
      if (response.statusCode === 200) {
        if (head.length > 0) socket.unshift(head);
        resolve(socket);
        return;
      }
      const header = response.headers[GATEWAY_REFUSAL_HEADER];
      const refusal = parseRefusal(Array.isArray(header) ? header[0] : header);
      void readReason(socket, head).then((reason) =>
        reject(
          new GatewayTunnelError(reason || `the gateway answered ${response.statusCode}`, response.statusCode, refusal),
        ),
      );
    });
    request.once('timeout', () => request.destroy(new Error('the gateway did not answer in time')));
    request.once('error', (error) =>
      reject(new GatewayTunnelError(`the gateway could not be reached: ${error.message}`)),
    );
    request.end();
  });
}
