import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { listenLoopback, localProxyThroughStandIn, type Closers } from '../../../support/local-proxy-fixture.ts';

// CONNECT tunnels through the local proxy, with an HTTP proxy standing in for the gateway.
const closers: Closers = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A client connected to the local proxy, and the port of a target that echoes. */
async function clientAndEchoTarget(): Promise<{ target: number; client: net.Socket }> {
  const target = await listenLoopback(
    net.createServer((socket) => socket.pipe(socket)),
    closers,
  );
  const proxyPort = await localProxyThroughStandIn(closers);
  const client = net.connect(proxyPort, '127.0.0.1');
  closers.push(() => void client.destroy());
  return { target, client };
}

describe('local proxy CONNECT tunnels', () => {
  it('passes the target’s own close on to the client after its last bytes', async () => {
    // A target that speaks first, then hangs up: the client must see both, not a tunnel left open.
    const target = await listenLoopback(
      net.createServer((socket) => socket.end('goodbye')),
      closers,
    );
    const proxyPort = await localProxyThroughStandIn(closers);
    const client = net.connect(proxyPort, '127.0.0.1');
    closers.push(() => void client.destroy());
    client.write(`CONNECT 127.0.0.1:${target} HTTP/1.1\r\nHost: 127.0.0.1:${target}\r\n\r\n`);
    const received: Buffer[] = [];
    client.on('data', (chunk: Buffer) => received.push(chunk));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the tunnel was not closed')), 2000);
      client.once('end', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    const text = Buffer.concat(received).toString();
    expect(text).toMatch(/^HTTP\/1\.1 200 /);
    expect(text.endsWith('\r\n\r\ngoodbye')).toBe(true);
  });

  it('relays both ways, the client’s bytes first', async () => {
    const { target, client } = await clientAndEchoTarget();
    // The first bytes for the target ride with the CONNECT itself.
    client.write(`CONNECT 127.0.0.1:${target} HTTP/1.1\r\nHost: 127.0.0.1:${target}\r\n\r\nping`);
    let text = '';
    client.on('data', (chunk: Buffer) => (text += chunk.toString()));
    await new Promise<void>((resolve) => {
      const check = () => (text.endsWith('ping') ? resolve() : setTimeout(check, 5));
      check();
    });
    client.write(' pong');
    await new Promise<void>((resolve) => {
      const check = () => (text.endsWith('ping pong') ? resolve() : setTimeout(check, 5));
      check();
    });
    expect(text).toMatch(/^HTTP\/1\.1 200 Connection Established\r\n\r\nping pong$/);
  });

  // A plain CONNECT in one piece is read without Node's HTTP server; any other is left to it.
  it.each([
    ['arrives in two pieces', [`CONNECT 127.0.0.1:TARGET HTTP/1.1\r\nHost: 127.0.0.1:TARGET\r\n`, '\r\nping']],
    ['says it has no body', [`CONNECT 127.0.0.1:TARGET HTTP/1.1\r\nContent-Length: 0\r\n\r\nping`]],
  ])('serves a CONNECT head that %s just the same', async (_name, pieces) => {
    const { target, client } = await clientAndEchoTarget();
    for (const piece of pieces) {
      client.write(piece.replaceAll('TARGET', String(target)));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    let text = '';
    client.on('data', (chunk: Buffer) => (text += chunk.toString()));
    await expect.poll(() => text).toBe('HTTP/1.1 200 Connection Established\r\n\r\nping');
  });
});
