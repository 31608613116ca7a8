import net, { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  isLoopbackPeer,
  LOCAL_PROXY_HOST,
  LocalProxy,
  LocalProxyError,
} from '../../../../electron/core/local-proxy/local-proxy.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function refusingProxy(port = 0): LocalProxy {
  const proxy = new LocalProxy({ port, route: () => ({ refusal: 'Atlantic Proxy is not connected.' }) });
  closers.push(() => proxy.close());
  return proxy;
}

/** Sends `bytes` and collects the answer until the proxy closes. */
function exchange(port: number, bytes: Buffer | string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, LOCAL_PROXY_HOST, () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('close', () => resolve(Buffer.concat(chunks)));
    socket.on('error', reject);
  });
}

describe('local proxy', () => {
  it('listens on the loopback address only', async () => {
    const proxy = refusingProxy();
    const port = await proxy.start();
    expect(port).toBe(proxy.port);
    expect(LOCAL_PROXY_HOST).toBe('127.0.0.1');
  });

  it('serves only peers on this machine’s loopback, however they are spelled', () => {
    for (const peer of ['127.0.0.1', '127.9.8.7', '::1', '::ffff:127.0.0.1'])
      expect(isLoopbackPeer(peer), peer).toBe(true);
    for (const peer of ['192.168.1.20', '10.0.0.1', '203.0.113.9', '::ffff:10.0.0.1', 'fe80::1', '', 'localhost']) {
      expect(isLoopbackPeer(peer), peer).toBe(false);
    }
    expect(isLoopbackPeer(undefined)).toBe(false);
  });

  it('says clearly when its port is taken', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => squatter.close(() => resolve())));
    const taken = (squatter.address() as AddressInfo).port;
    const proxy = new LocalProxy({ port: taken, route: () => ({ refusal: 'x' }) });
    const failure = await proxy.start().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LocalProxyError);
    expect(failure).toMatchObject({
      code: 'port_in_use',
      message: `Port ${taken} on 127.0.0.1 is already in use by another program; choose another local proxy port.`,
    });
  });

  it('tells HTTP and SOCKS5 apart on one port, and refuses both fast without a session', async () => {
    const proxy = refusingProxy();
    const port = await proxy.start();
    const started = performance.now();
    const http = await exchange(port, 'GET http://example.test/ HTTP/1.1\r\nHost: example.test\r\n\r\n');
    expect(http.toString()).toMatch(
      /^HTTP\/1\.1 503 Service Unavailable\r\n[\s\S]*\r\n\r\nAtlantic Proxy is not connected\.\n$/,
    );
    const connect = await exchange(port, 'CONNECT example.test:443 HTTP/1.1\r\nHost: example.test:443\r\n\r\n');
    expect(connect.toString()).toMatch(
      /^HTTP\/1\.1 503 Service Unavailable\r\n[\s\S]*Atlantic Proxy is not connected\.\n$/,
    );
    const socks = await exchange(port, Buffer.from([0x05, 0x01, 0x00, 0x05, 0x01, 0x00, 0x01, 127, 0, 0, 1, 0, 80]));
    expect([...socks]).toEqual([0x05, 0x00, 0x05, 0x02, 0x00, 0x01, 0, 0, 0, 0, 0, 0]);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('answers a request that is not for a proxy with a hint', async () => {
    const proxy = refusingProxy();
    const port = await proxy.start();
    const answer = await exchange(port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    expect(answer.toString()).toMatch(/^HTTP\/1\.1 400 [\s\S]*send absolute http:\/\/ URLs, CONNECT or SOCKS5/);
  });
});
