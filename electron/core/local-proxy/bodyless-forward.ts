import type http from 'node:http';
import type { Socket } from 'node:net';
import type { ByteSink } from '../../../relay/recycling-reader.ts';
import { openGatewayTunnel, type GatewayCredentials } from './gateway-tunnel.ts';
import { endToEndFilter } from './hop-by-hop.ts';
import { fieldOf, readResponseHead, type ResponseHead } from './response-head.ts';

/** Thrown before anything was sent to the client, so it can still get an error page. */
export class OriginAnswerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OriginAnswerError';
  }
}

/** A request with no body: nothing to frame on the way out (what a download is). */
export function isBodyless(request: http.IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] === undefined && (length === undefined || length === '0');
}

/** The body's length when the answer gives one (every Content-Length the same digits), null when it runs to the close. */
function bodyLength(head: ResponseHead): number | null {
  const values = head.fields.filter(([name]) => name.toLowerCase() === 'content-length').map(([, value]) => value);
  if (values.length === 0) return null;
  if (!/^\d+$/.test(values[0]!) || values.some((value) => value !== values[0])) {
    throw new OriginAnswerError('the site sent an invalid Content-Length');
  }
  return Number(values[0]);
}

/**
 * The response as the reader's sink, never given more than the announced length:
 * bytes past it would reach the client as the start of its next answer on the
 * same connection (maybe from another site), so the tunnel is dropped instead.
 */
function cappedAt(length: number | null, response: http.ServerResponse, tunnel: Socket): ByteSink {
  let left = length ?? Infinity;
  return {
    write(chunk, callback) {
      const allowed = chunk.length <= left ? chunk : chunk.subarray(0, left);
      left -= allowed.length;
      if (allowed.length < chunk.length) tunnel.destroy();
      return response.write(allowed, callback);
    },
  };
}

/**
 * Forwards a bodyless absolute-URI request through a gateway tunnel and relays
 * the answer's body through the tunnel's recycled buffers, so a plain-HTTP
 * download costs the local proxy what a CONNECT tunnel does. It asks the origin
 * in HTTP/1.0 with `Connection: close`: the body then comes with a length or
 * until the close, never chunked, so it passes through unparsed, and Node frames
 * it for the client (keep-alive to the client is kept).
 */
export async function forwardBodyless(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  gateway: GatewayCredentials,
  url: URL,
  target: { host: string; port: number },
): Promise<void> {
  const { socket, reader, rest: early } = await openGatewayTunnel(gateway, target, { recycled: true });
  const closed = () => void socket.destroy();
  response.once('close', closed);
  try {
    const travels = endToEndFilter(request.headers.connection);
    // The absolute URI names the host, whatever Host the client sent (RFC 9112 §3.2.2).
    const lines = [`${request.method} ${url.pathname}${url.search} HTTP/1.0`, `Host: ${url.host}`];
    const raw = request.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) {
      if (travels(raw[i]!) && raw[i]!.toLowerCase() !== 'host') lines.push(`${raw[i]}: ${raw[i + 1]}`);
    }
    socket.write(`${lines.join('\r\n')}\r\nConnection: close\r\n\r\n`);

    const listen = (listener: ((chunk: Buffer) => void) | undefined) => reader!.tap(listener);
    let hangUp!: () => void;
    const hungUp = new Promise<never>((_resolve, reject) => {
      hangUp = () => reject(new OriginAnswerError('the site closed the connection before it answered'));
      socket.once('close', hangUp);
    });
    hungUp.catch(() => undefined);
    if (early.length > 0) throw new OriginAnswerError('the site spoke before it was asked');
    const { head, rest } = await Promise.race([
      readResponseHead(listen).catch((error: Error) => {
        throw new OriginAnswerError(`the site sent ${error.message}`);
      }),
      hungUp,
    ]);
    socket.off('close', hangUp);
    if (fieldOf(head, 'transfer-encoding') !== undefined) {
      throw new OriginAnswerError('the site sent a chunked answer to an HTTP/1.0 request');
    }
    const length = bodyLength(head);
    const travelsBack = endToEndFilter(fieldOf(head, 'connection'));
    response.writeHead(head.status, head.reason, head.fields.filter(([name]) => travelsBack(name)).flat());
    const noBody = request.method === 'HEAD' || head.status < 200 || head.status === 204 || head.status === 304;
    if (noBody) {
      response.end();
      return closed();
    }
    const bodyStart = socket.bytesRead - rest.length;
    socket.once('close', () => {
      if (response.writableEnded) return;
      // A body cut short of its length (the session ended, the site went) must not look complete.
      if (length !== null && socket.bytesRead - bodyStart < length) return void response.destroy();
      response.end();
    });
    socket.on('error', () => response.destroy());
    reader!.pipeTo(socket, cappedAt(length, response, socket), rest);
  } catch (error) {
    response.off('close', closed);
    closed();
    throw error;
  }
}
