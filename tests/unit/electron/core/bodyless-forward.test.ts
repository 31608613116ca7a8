import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { listenLoopback, localProxyThroughStandIn, type Closers } from '../../../support/local-proxy-fixture.ts';

// Plain-HTTP requests without a body take the local proxy's unparsed path:
// asked of the site in HTTP/1.0, answered through the tunnel's recycled buffers.
const closers: Closers = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

interface Seen {
  httpVersion: string;
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

/** An origin that records each request and answers with `answer`. */
async function origin(answer: (request: http.IncomingMessage, response: http.ServerResponse) => void) {
  const seen: Seen[] = [];
  const server = http.createServer((request, response) => {
    seen.push({
      httpVersion: request.httpVersion,
      method: request.method!,
      url: request.url!,
      headers: request.headers,
    });
    answer(request, response);
  });
  const port = await listenLoopback(server, closers);
  closers.push(() => server.closeAllConnections());
  return { port, seen };
}

/** A site that answers whatever it is asked with `answer`, byte for byte, then closes; its port. */
async function rawSite(answer: string): Promise<number> {
  return listenLoopback(
    net.createServer((socket) => socket.once('data', () => socket.end(answer))),
    closers,
  );
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
  socket: net.Socket;
}

function fetchThrough(
  proxyPort: number,
  url: string,
  options: { method?: string; headers?: http.OutgoingHttpHeaders; agent?: http.Agent; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port: proxyPort,
        path: url,
        method: options.method ?? 'GET',
        headers: options.headers,
        agent: options.agent,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode!,
            headers: response.headers,
            rawHeaders: response.rawHeaders,
            body: Buffer.concat(chunks),
            socket: response.socket,
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

describe('local proxy, bodyless plain-HTTP requests', () => {
  it('asks the site in HTTP/1.0 with Connection: close and the URI’s host, passing end-to-end headers only', async () => {
    const site = await origin((_request, response) => response.end('hello'));
    const proxyPort = await localProxyThroughStandIn(closers);
    const answer = await fetchThrough(proxyPort, `http://127.0.0.1:${site.port}/path?q=1`, {
      headers: {
        'x-custom': 'kept',
        'proxy-authorization': 'Basic c2VjcmV0',
        connection: 'keep-alive, x-hop',
        'x-hop': 'dropped',
        'keep-alive': 'timeout=5',
      },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.toString()).toBe('hello');
    const [request] = site.seen;
    expect(request).toMatchObject({ httpVersion: '1.0', method: 'GET', url: '/path?q=1' });
    expect(request!.headers).toMatchObject({ 'x-custom': 'kept', host: `127.0.0.1:${site.port}`, connection: 'close' });
    for (const hop of ['proxy-authorization', 'x-hop', 'keep-alive']) expect(request!.headers).not.toHaveProperty(hop);
  });

  it('passes the status, reason and repeated header fields back, and keeps the client connection alive', async () => {
    const body = Buffer.alloc(3 * 1024 * 1024, 7);
    const site = await origin((_request, response) => {
      response.setHeader('set-cookie', ['a=1', 'b=2']);
      response.writeHead(203, 'Mostly Fine', { 'content-length': body.length, 'x-origin': 'yes' });
      response.end(body);
    });
    const proxyPort = await localProxyThroughStandIn(closers);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    closers.push(() => agent.destroy());
    const first = await fetchThrough(proxyPort, `http://127.0.0.1:${site.port}/a`, { agent });
    const second = await fetchThrough(proxyPort, `http://127.0.0.1:${site.port}/b`, { agent });
    expect(first.status).toBe(203);
    expect(first.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(first.headers['x-origin']).toBe('yes');
    expect(first.headers['content-length']).toBe(String(body.length));
    expect(first.body.equals(body)).toBe(true);
    expect(second.body.equals(body)).toBe(true);
    // One connection to the local proxy carried both: keep-alive to the client survives HTTP/1.0 upstream.
    expect(second.socket).toBe(first.socket);
    expect(site.seen.map((s) => s.url)).toEqual(['/a', '/b']);
  });

  it('answers HEAD with the headers only, and a body that ends with the close in full', async () => {
    const site = await origin((request, response) => {
      if (request.method === 'HEAD') return void response.writeHead(200, { 'content-length': 42 }).end();
      // No length: the body runs until the site closes (HTTP/1.0 has no chunking).
      response.writeHead(200);
      response.write('part one, ');
      setTimeout(() => response.end('part two'), 20);
    });
    const proxyPort = await localProxyThroughStandIn(closers);
    const head = await fetchThrough(proxyPort, `http://127.0.0.1:${site.port}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe('42');
    expect(head.body.length).toBe(0);
    const streamed = await fetchThrough(proxyPort, `http://127.0.0.1:${site.port}/`);
    expect(streamed.body.toString()).toBe('part one, part two');
  });

  it('cuts the client off when the site stops short of the length it announced', async () => {
    const site = await origin((_request, response) => {
      response.writeHead(200, { 'content-length': 1000 });
      response.write(Buffer.alloc(400));
      setTimeout(() => response.destroy(), 20);
    });
    const proxyPort = await localProxyThroughStandIn(closers);
    const outcome = await fetchThrough(proxyPort, `http://127.0.0.1:${site.port}/`).then(
      (answer) => `complete with ${answer.body.length} bytes`,
      (error: Error) => error.message,
    );
    expect(outcome).toMatch(/aborted|socket hang up|ECONNRESET/);
  });

  it.each([
    {
      // A raw site that ignores the HTTP/1.0 request and answers chunked anyway.
      refused: 'a chunked answer it could not pass through',
      head: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n',
      reason: 'chunked answer to an HTTP/1.0 request',
    },
    {
      refused: 'an answer whose Content-Length is not one clear number',
      head: 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!',
      reason: 'invalid Content-Length',
    },
  ])('refuses $refused, with a clear 502', async ({ head, reason }) => {
    const site = await rawSite(head);
    const proxyPort = await localProxyThroughStandIn(closers);
    const answer = await fetchThrough(proxyPort, `http://127.0.0.1:${site}/`);
    expect(answer.status).toBe(502);
    expect(answer.body.toString()).toContain(reason);
  });

  it('never lets a site’s bytes past its Content-Length reach the client as its next answer', async () => {
    // A site that smuggles a second response behind the first, hoping the shared connection takes it for the next.
    const smugglerPort = await rawSite(
      'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\ninjected',
    );
    const honest = await origin((_request, response) =>
      response.writeHead(200, { 'content-length': 13 }).end('honest answer'),
    );
    const proxyPort = await localProxyThroughStandIn(closers);
    // Raw bytes on one keep-alive connection: exactly what the client would read.
    const client = net.connect(proxyPort, '127.0.0.1');
    closers.push(() => void client.destroy());
    let received = '';
    client.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    const until = async (done: () => boolean) => {
      while (!done()) await new Promise((resolve) => setTimeout(resolve, 10));
    };
    client.write(`GET http://127.0.0.1:${smugglerPort}/ HTTP/1.1\r\nHost: 127.0.0.1:${smugglerPort}\r\n\r\n`);
    await until(() => received.includes('hello'));
    await new Promise((resolve) => setTimeout(resolve, 100)); // room for anything smuggled to arrive
    expect(received).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nhello$/);
    received = '';
    client.write(`GET http://127.0.0.1:${honest.port}/ HTTP/1.1\r\nHost: 127.0.0.1:${honest.port}\r\n\r\n`);
    await until(() => received.endsWith('honest answer'));
    expect(received).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nhonest answer$/);
  });

  it('still sends requests with a body through Node’s HTTP client, body intact', async () => {
    const site = await origin((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => response.end(`got ${Buffer.concat(chunks).toString()}`));
    });
    const proxyPort = await localProxyThroughStandIn(closers);
    const answer = await fetchThrough(proxyPort, `http://127.0.0.1:${site.port}/submit`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'content-length': 4 },
      body: 'data',
    });
    expect(answer.body.toString()).toBe('got data');
    expect(site.seen[0]).toMatchObject({ httpVersion: '1.1', method: 'POST' });
  });
});
