import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerClientError, rawErrorResponse } from '../../../server/http/raw-errors.ts';
import { rawHttp } from '../../support/raw-http.ts';

describe('answerClientError on a real Node HTTP server', () => {
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    // Short timeouts, checked often, so a slow request times out within the test.
    server = http.createServer({ requestTimeout: 300, headersTimeout: 200, connectionsCheckingInterval: 50 }, (_q, r) =>
      r.end('served'),
    );
    server.on('clientError', answerClientError);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('a request whose headers never finish: 408 request_timeout in the error shape', async () => {
    const started = Date.now();
    const answer = await rawHttp(url, 'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: still typing');
    expect(answer.status).toBe(408);
    expect(JSON.parse(answer.body)).toEqual({
      error: { code: 'request_timeout', message: 'the request took too long to arrive' },
    });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('a request line past the header limit is 414; a header past it is 431', async () => {
    const longLine = await rawHttp(url, `GET /${'u'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    const longHeader = await rawHttp(url, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`);
    expect([longLine.status, JSON.parse(longLine.body).error.code]).toEqual([414, 'uri_too_long']);
    expect([longHeader.status, JSON.parse(longHeader.body).error.code]).toEqual([431, 'headers_too_large']);
  });

  it('a connection reset before anything is answered writes nothing and throws nothing', async () => {
    const socket = new net.Socket();
    expect(() => answerClientError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }), socket)).not.toThrow();
    expect(socket.destroyed).toBe(false);
    socket.destroy();
  });
});

it('rawErrorResponse is a whole HTTP/1.1 response with an exact Content-Length', () => {
  const response = rawErrorResponse('uri_too_long', 'the URL is longer than 16 KB — too long');
  const [head, body] = response.split('\r\n\r\n');
  expect(head).toMatch(/^HTTP\/1\.1 414 URI Too Long\r\n/);
  expect(head).toContain(`Content-Length: ${Buffer.byteLength(body!)}`);
  expect(JSON.parse(body!)).toEqual({
    error: { code: 'uri_too_long', message: 'the URL is longer than 16 KB — too long' },
  });
});
