import { gzipSync } from 'node:zlib';
import type { ErrorCode } from '../../../shared/errors.ts';

// Requests the framework or Node's HTTP parser refuses before (or instead of) a
// route: each must still get {error:{code,message}} and a 4xx. Written as raw
// bytes, as most of them are nothing fetch would send.

/** What the table's requests may use: the user's token, their live session and paid payment. */
export interface RefusalCtx {
  token: string;
  sessionId: string;
  paymentId: string;
}

export interface Refusal {
  name: string;
  request: (ctx: RefusalCtx) => string | Buffer;
  code: ErrorCode;
}

interface Parts {
  headers?: Record<string, string | number>;
  body?: string | Buffer;
  /** Send the user's bearer token. */
  signedIn?: RefusalCtx;
  /** Leave Content-Length out (the headers give the framing). */
  noLength?: boolean;
}

/** A well-formed HTTP/1.1 request but for what `parts` says, closed after its answer. */
export function http11(method: string, path: string, parts: Parts = {}): Buffer {
  const body = typeof parts.body === 'string' ? Buffer.from(parts.body) : parts.body;
  const headers: Record<string, string | number> = { host: '127.0.0.1', connection: 'close' };
  if (parts.signedIn) headers.authorization = `Bearer ${parts.signedIn.token}`;
  if (body && !parts.noLength) headers['content-length'] = body.length;
  Object.assign(headers, parts.headers);
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return Buffer.concat([
    Buffer.from(`${method} ${path} HTTP/1.1\r\n${head.join('')}\r\n`, 'latin1'),
    body ?? Buffer.alloc(0),
  ]);
}

const json = 'application/json';
const purchaseBody = '{"amount": 5}';
/** A purchase that would make a pending payment, were it not refused for `headers` or `body`. */
const purchase = (ctx: RefusalCtx, headers: Record<string, string | number>, body: string | Buffer = purchaseBody) =>
  http11('POST', '/api/credits/purchase', { signedIn: ctx, headers, body });
const connect = (ctx: RefusalCtx, headers: Record<string, string | number>, body: string | Buffer) =>
  http11('POST', '/api/proxy/connect', { signedIn: ctx, headers, body });
const raw = (text: string) => () => Buffer.from(text, 'latin1');
const rawSignedIn = (text: (token: string) => string) => (ctx: RefusalCtx) => Buffer.from(text(ctx.token), 'latin1');

export const REFUSALS: Refusal[] = [
  // Routes and methods.
  {
    name: 'an unknown route',
    request: (ctx) => http11('GET', '/api/nothing-here', { signedIn: ctx }),
    code: 'not_found',
  },
  {
    name: 'an unknown method FOO',
    request: raw('FOO /api/health HTTP/1.1\r\nHost: x\r\n\r\n'),
    code: 'method_not_allowed',
  },
  {
    name: 'a lower-case method',
    request: raw('get /api/health HTTP/1.1\r\nHost: x\r\n\r\n'),
    code: 'method_not_allowed',
  },
  {
    name: 'PROPFIND',
    request: (ctx) => http11('PROPFIND', '/api/credits/balance', { signedIn: ctx }),
    code: 'not_found',
  },
  {
    name: 'TRACE (no echo)',
    request: (ctx) => http11('TRACE', '/api/credits/balance', { signedIn: ctx }),
    code: 'not_found',
  },
  { name: 'OPTIONS *', request: () => http11('OPTIONS', '*'), code: 'not_found' },
  { name: 'M-SEARCH *', request: () => http11('M-SEARCH', '*'), code: 'not_found' },
  {
    name: 'CONNECT to the database port',
    request: () => http11('CONNECT', '127.0.0.1:5432'),
    code: 'method_not_allowed',
  },
  {
    name: 'DELETE of a session',
    request: (ctx) => http11('DELETE', `/api/proxy/sessions`, { signedIn: ctx }),
    code: 'not_found',
  },
  {
    name: 'an absolute URI to elsewhere',
    request: () => http11('GET', 'http://169.254.169.254/latest/meta-data/'),
    code: 'not_found',
  },

  // URLs.
  {
    name: 'a 101-character payment id',
    request: (ctx) => http11('GET', `/api/payments/${'a'.repeat(101)}`, { signedIn: ctx }),
    code: 'uri_too_long',
  },
  {
    name: 'a 10,000-character id to verify',
    request: (ctx) => http11('POST', `/api/payments/${'a'.repeat(10_000)}/verify`, { signedIn: ctx }),
    code: 'uri_too_long',
  },
  {
    name: 'a 5 KB query string',
    request: () => http11('GET', `/api/health?${'q'.repeat(5_000)}`),
    code: 'uri_too_long',
  },
  { name: 'a 100 KB URL', request: () => http11('GET', `/api/${'u'.repeat(100_000)}`), code: 'uri_too_long' },
  {
    name: 'broken percent-encoding',
    request: (ctx) => http11('GET', '/api/payments/%E0%A4%A', { signedIn: ctx }),
    code: 'malformed_request',
  },
  {
    name: 'an encoded NUL',
    request: (ctx) => http11('GET', '/api/payments/%00', { signedIn: ctx }),
    code: 'invalid_input',
  },
  {
    name: 'an encoded NUL in the query',
    request: (ctx) => http11('GET', '/api/proxy/sessions?status=active%00', { signedIn: ctx }),
    code: 'invalid_input',
  },
  {
    name: 'a raw NUL in the path',
    request: raw('GET /api/he\0alth HTTP/1.1\r\nHost: x\r\n\r\n'),
    code: 'malformed_request',
  },
  {
    name: 'a space in the path',
    request: raw('GET /api/he alth HTTP/1.1\r\nHost: x\r\n\r\n'),
    code: 'malformed_request',
  },
  { name: 'HTTP/9.9', request: raw('GET /api/health HTTP/9.9\r\nHost: x\r\n\r\n'), code: 'malformed_request' },
  { name: 'the HTTP/2 preface', request: raw('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), code: 'malformed_request' },
  { name: 'bare LF line ends', request: raw('GET /api/health HTTP/1.1\nHost: x\n\n'), code: 'malformed_request' },

  // Headers.
  {
    name: 'no Host in HTTP/1.1',
    request: raw('GET /api/health HTTP/1.1\r\nConnection: close\r\n\r\n'),
    code: 'malformed_request',
  },
  {
    name: 'a control character in a header value',
    request: raw('GET /api/health HTTP/1.1\r\nHost: x\r\nX-Note: a\x01b\r\n\r\n'),
    code: 'malformed_request',
  },
  {
    name: 'a NUL in the bearer token',
    request: rawSignedIn(
      (token) => `GET /api/credits/balance HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\0\r\n\r\n`,
    ),
    code: 'malformed_request',
  },
  {
    name: 'a space in a header name',
    request: raw('GET /api/health HTTP/1.1\r\nHost: x\r\nX Note: a\r\n\r\n'),
    code: 'malformed_request',
  },
  {
    name: 'a folded header line',
    request: raw('GET /api/health HTTP/1.1\r\nHost: x\r\n folded: a\r\n\r\n'),
    code: 'malformed_request',
  },
  {
    name: 'a 20 KB header',
    request: () => http11('GET', '/api/health', { headers: { 'x-big': 'b'.repeat(20_000) } }),
    code: 'headers_too_large',
  },
  {
    name: 'Expect: something-else',
    request: () => http11('GET', '/api/health', { headers: { expect: 'tea' } }),
    code: 'expectation_failed',
  },

  // Bodies and their framing, on a purchase that would otherwise make a pending payment.
  {
    name: 'JSON in UTF-16',
    request: (ctx) =>
      purchase(ctx, { 'content-type': `${json}; charset=utf-16` }, Buffer.from(`\ufeff${purchaseBody}`, 'utf16le')),
    code: 'unsupported_media_type',
  },
  {
    name: 'UTF-8 bytes declared as UTF-16LE',
    request: (ctx) => purchase(ctx, { 'content-type': `${json}; charset=UTF-16LE` }),
    code: 'unsupported_media_type',
  },
  {
    name: 'JSON declared as Latin-1',
    request: (ctx) => purchase(ctx, { 'content-type': `${json}; charset=latin1` }),
    code: 'unsupported_media_type',
  },
  {
    name: 'an empty charset',
    request: (ctx) => purchase(ctx, { 'content-type': `${json}; charset=` }),
    code: 'unsupported_media_type',
  },
  {
    name: 'text/plain',
    request: (ctx) => purchase(ctx, { 'content-type': 'text/plain' }),
    code: 'unsupported_media_type',
  },
  {
    name: 'a form',
    request: (ctx) => purchase(ctx, { 'content-type': 'application/x-www-form-urlencoded' }, 'amount=5'),
    code: 'unsupported_media_type',
  },
  {
    name: 'a gzip-encoded body',
    request: (ctx) => purchase(ctx, { 'content-type': json, 'content-encoding': 'gzip' }, gzipSync(purchaseBody)),
    code: 'unsupported_media_type',
  },
  { name: 'no content type', request: (ctx) => purchase(ctx, {}), code: 'unsupported_media_type' },
  {
    name: 'application/json-seq',
    request: (ctx) => purchase(ctx, { 'content-type': 'application/json-seq' }),
    code: 'unsupported_media_type',
  },
  {
    name: 'malformed JSON',
    request: (ctx) => purchase(ctx, { 'content-type': json }, '{"amount": 5'),
    code: 'invalid_input',
  },
  { name: 'an empty JSON body', request: (ctx) => purchase(ctx, { 'content-type': json }, ''), code: 'invalid_input' },
  {
    name: 'JSON 30,000 levels deep',
    request: (ctx) =>
      purchase(ctx, { 'content-type': json }, `{"amount": 5, "x": ${'['.repeat(30_000)}${']'.repeat(30_000)}}`),
    code: 'invalid_input',
  },
  {
    name: 'a NUL in a JSON string',
    request: (ctx) => connect(ctx, { 'content-type': json }, '{"country": "us", "city": "New\\u0000York"}'),
    code: 'invalid_input',
  },
  {
    name: 'a 1 MB body',
    request: (ctx) => purchase(ctx, { 'content-type': json }, `{"amount": 5, "x": "${'x'.repeat(1 << 20)}"}`),
    code: 'payload_too_large',
  },
  {
    name: 'a declared 10 MB body',
    request: (ctx) => purchase(ctx, { 'content-type': json, 'content-length': 10_000_000 }),
    code: 'payload_too_large',
  },
  {
    name: 'Content-Length twice, differing',
    request: rawSignedIn(
      (token) =>
        `POST /api/credits/purchase HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 13\r\nContent-Length: 2\r\n\r\n${purchaseBody}`,
    ),
    code: 'malformed_request',
  },
  {
    name: 'Content-Length twice, the same',
    request: rawSignedIn(
      (token) =>
        `POST /api/credits/purchase HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 13\r\nContent-Length: 13\r\n\r\n${purchaseBody}`,
    ),
    code: 'malformed_request',
  },
  {
    name: 'Content-Length with chunked',
    request: (ctx) =>
      purchase(
        ctx,
        { 'content-type': json, 'transfer-encoding': 'chunked', 'content-length': 13 },
        `d\r\n${purchaseBody}\r\n0\r\n\r\n`,
      ),
    code: 'malformed_request',
  },
  {
    name: 'Content-Length -1',
    request: (ctx) => purchase(ctx, { 'content-type': json, 'content-length': -1 }),
    code: 'malformed_request',
  },
  {
    name: 'Content-Length 1e3',
    request: (ctx) => purchase(ctx, { 'content-type': json, 'content-length': '1e3' }),
    code: 'malformed_request',
  },
  {
    name: 'Transfer-Encoding gzip',
    request: (ctx) =>
      http11('POST', '/api/credits/purchase', {
        signedIn: ctx,
        noLength: true,
        headers: { 'content-type': json, 'transfer-encoding': 'gzip' },
        body: purchaseBody,
      }),
    code: 'malformed_request',
  },
  {
    name: 'a bad chunk size',
    request: (ctx) =>
      http11('POST', '/api/credits/purchase', {
        signedIn: ctx,
        noLength: true,
        headers: { 'content-type': json, 'transfer-encoding': 'chunked' },
        body: `zz\r\n${purchaseBody}\r\n0\r\n\r\n`,
      }),
    code: 'malformed_request',
  },
  // Not refused for framing: proof that UTF-8, declared in any spelling, is read (the password is wrong).
  {
    name: 'a sign-in in UTF-8, declared "UTF-8"',
    request: () =>
      http11('POST', '/api/auth/login', {
        headers: { 'content-type': `${json}; charset="UTF-8"` },
        body: '{"email": "nobody@example.com", "password": "wrong password"}',
      }),
    code: 'invalid_credentials',
  },
];
