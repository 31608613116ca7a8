import { maxHeaderSize, STATUS_CODES, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ErrorBody } from '../../shared/api/errors.ts';
import { errorStatus, type ErrorCode } from '../../shared/errors.ts';

const errorJson = (code: ErrorCode, message: string) =>
  JSON.stringify({ error: { code, message } } satisfies ErrorBody);

/** A whole HTTP/1.1 response in the error shape, for the places that have a socket and no reply. */
export function rawErrorResponse(code: ErrorCode, message: string): string {
  const status = errorStatus[code];
  const body = errorJson(code, message);
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

// A CONNECT socket is no longer the HTTP server's: nothing else would time it out.
const CONNECT_LINGER_MS = 5_000;

// Node's HTTP parser (llhttp) errors that are not just "malformed", by code.
const PARSER_ERRORS: Record<string, [ErrorCode, string]> = {
  HPE_INVALID_METHOD: ['method_not_allowed', 'the request method is not one this service knows'],
  HPE_PAUSED_H2_UPGRADE: ['malformed_request', 'this service speaks HTTP/1.1 (and 1.0), not HTTP/2'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: ['payload_too_large', 'the chunk extensions are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: ['request_timeout', 'the request took too long to arrive'],
};

const METHOD_START = /^[A-Z]+ /;

/** A request line and headers past Node's limit: 414 when the request line alone is past it, else 431. */
function overflow(rawPacket: unknown): [ErrorCode, string] {
  const packet = Buffer.isBuffer(rawPacket) ? rawPacket.subarray(0, maxHeaderSize + 2).toString('latin1') : '';
  const kb = Math.round(maxHeaderSize / 1024);
  if (METHOD_START.test(packet) && !packet.includes('\r\n')) {
    return ['uri_too_long', `the URL is longer than ${kb} KB`];
  }
  return ['headers_too_large', `the URL and headers together are larger than ${kb} KB`];
}

// What Node hands `clientError`: `rawPacket` is the chunk being parsed (Fastify's type for it is wrong).
type ParserError = Error & { code?: string; reason?: string; rawPacket?: unknown };

/**
 * Fastify's `clientErrorHandler`: a request Node's parser refused never reaches
 * a route, so it is answered here, on the socket, in the error shape.
 */
export function answerClientError(error: ParserError, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // As Node's own handler: write only if no response to an earlier request on this socket has begun.
  const pending = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !pending?.headersSent) {
    // llhttp's reasons are plain English ("Duplicate Content-Length", "Invalid header value char").
    const malformed: [ErrorCode, string] = [
      'malformed_request',
      `the request is not valid HTTP: ${error.reason ?? 'unreadable'}`,
    ];
    const [code, message] =
      error.code === 'HPE_HEADER_OVERFLOW' ? overflow(error.rawPacket) : (PARSER_ERRORS[error.code ?? ''] ?? malformed);
    socket.write(rawErrorResponse(code, message));
  }
  socket.destroy();
}

/**
 * Requests Node answers by itself, before Fastify sees them: CONNECT (Node
 * would drop the socket) and an `Expect` other than 100-continue (Node's 417 has no body).
 */
export function answerNodeLevelRequests(server: Server): void {
  server.on('connect', (_request, duplex: Duplex) => {
    const socket = duplex as Socket; // typed as a Duplex, it is the client's TCP socket
    socket.on('error', () => socket.destroy());
    socket.setTimeout(CONNECT_LINGER_MS, () => socket.destroy());
    socket.end(
      rawErrorResponse('method_not_allowed', 'this is the billing API, not a proxy: CONNECT goes to the gateway'),
    );
  });
  server.on('checkExpectation', (_request, response) => {
    const body = errorJson('expectation_failed', 'the only Expect this service meets is 100-continue');
    response.writeHead(errorStatus.expectation_failed, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      connection: 'close',
    });
    response.end(body);
  });
}
