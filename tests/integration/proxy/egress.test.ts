import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ProxyClient } from '../../../electron/core/proxy-client.ts';
import { curl } from '../../support/curl.ts';
import { clientFor, userWithCredits } from '../../support/proxy-fixtures.ts';
import { basicAuthorization, rawAbsoluteGet, rawConnect, socks5Get } from '../../support/proxy-requests.ts';
import { startTestService, type TestService } from '../../support/test-service.ts';

const HELLO = 'hello from the loopback origin';

/** One origin on 127.0.0.1, 127.0.0.2 and ::1 at the same port, so every spelling of loopback would reach it. */
async function startLoopbackOrigin() {
  let connections = 0;
  const servers: http.Server[] = [];
  let port = 0;
  for (const host of ['127.0.0.1', '127.0.0.2', '::1']) {
    const server = http.createServer((_request, response) => response.end(`${HELLO}\n`));
    server.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    port = (server.address() as AddressInfo).port;
    servers.push(server);
  }
  return {
    port,
    connections: () => connections,
    close: () => Promise.all(servers.map((s) => (s.closeAllConnections(), new Promise((r) => s.close(r))))),
  };
}

// Every way of naming this machine the issue lists: dotted, another 127.x, IPv6, mapped,
// decimal, hex, octal, short form, and a name that resolves to loopback.
const LOOPBACK = [
  '127.0.0.1',
  '127.0.0.2',
  '::1',
  '::ffff:127.0.0.1',
  '2130706433',
  '0x7f000001',
  '0177.0.0.1',
  '127.1',
  'localhost',
];
const authority = (host: string, port: number) => `${host.includes(':') ? `[${host}]` : host}:${port}`;

interface Setup {
  service: TestService;
  client: ProxyClient;
  gateway: { host: string; port: number };
  authorization: string;
}

async function setUp(env: Record<string, string>): Promise<Setup> {
  const service = await startTestService('pglite', env);
  const user = await userWithCredits(service, '5');
  const client = await clientFor(user);
  const { gateway } = await user.billing.connect({ country: 'de' });
  expect((await client.manager.connect({ country: 'us' })).status).toBe('connected');
  return { service, client, gateway, authorization: basicAuthorization(`${gateway.username}:${gateway.password}`) };
}

describe('the direct exit reaches only the public internet', () => {
  let origin: Awaited<ReturnType<typeof startLoopbackOrigin>>;
  let strict: Setup;
  let allowing: Setup;

  beforeAll(async () => {
    origin = await startLoopbackOrigin();
    // No allow-list (the default), and one naming loopback as the tests' usual service does.
    strict = await setUp({ GATEWAY_ALLOW_CIDRS: '' });
    allowing = await setUp({ GATEWAY_ALLOW_CIDRS: '127.0.0.0/8,::1/128' });
  });
  afterAll(async () => {
    for (const setup of [strict, allowing]) {
      await setup?.client.close();
      await setup?.service.stop();
    }
    await origin?.close();
  });

  it.each(LOOPBACK)('%s is refused by default over CONNECT, absolute URI and SOCKS5 (local proxy)', async (host) => {
    const before = origin.connections();
    const checkNow = vi.spyOn(strict.client.manager, 'checkNow');
    const target = authority(host, origin.port);
    for (const answer of [
      await rawConnect(strict.gateway, target, strict.authorization),
      await rawAbsoluteGet(strict.gateway, `http://${target}/hello`, strict.authorization),
    ]) {
      expect(answer).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/);
      expect(answer).toMatch(/\r\nx-atlantic-refusal: destination_forbidden\r\n/i);
      expect(answer).toMatch(/does not connect to .+: only public internet addresses are reachable\./);
      expect(answer).not.toContain(HELLO);
    }
    const local = { host: '127.0.0.1', port: strict.client.port };
    expect(await socks5Get(local, host, origin.port)).toEqual({ reply: 0x02, answer: '' });
    expect(origin.connections()).toBe(before);
    // A refused destination says nothing about the session: the app is not sent to check it.
    expect(checkNow).not.toHaveBeenCalled();
    expect(strict.client.manager.state.status).toBe('connected');
    checkNow.mockRestore();
  });

  it('the local proxy answers an HTTP client 403 with the reason', async () => {
    const viaLocal = ['-x', `http://127.0.0.1:${strict.client.port}`, '-w', '\n%{http_code}'];
    const plain = await curl([...viaLocal, `http://localhost:${origin.port}/hello`]);
    expect(plain.stdout).toMatch(
      /does not connect to localhost: only public internet addresses are reachable\.\n+403$/,
    );
    const tunnelled = await curl([...viaLocal, '-p', `http://127.0.0.1:${origin.port}/hello`]);
    expect(tunnelled.code).toBe(56);
    expect(tunnelled.stderr).toContain('403');
  });

  it.each(LOOPBACK)('%s passes once GATEWAY_ALLOW_CIDRS names loopback', async (host) => {
    const target = authority(host, origin.port);
    const tunnel = await rawConnect(allowing.gateway, target, allowing.authorization);
    expect(tunnel).toMatch(/^HTTP\/1\.1 200 /);
    expect(tunnel).toContain(HELLO);
    const absolute = await rawAbsoluteGet(allowing.gateway, `http://${target}/hello`, allowing.authorization);
    expect(absolute).toMatch(/^HTTP\/1\.1 200 /);
    expect(absolute).toContain(HELLO);
    const socks = await socks5Get({ host: '127.0.0.1', port: allowing.client.port }, host, origin.port);
    expect(socks.reply).toBe(0x00);
    expect(socks.answer).toContain(HELLO);
  });

  it('the allow-list opens what it names and nothing more', async () => {
    for (const host of ['169.254.169.254', '10.0.0.1', '192.168.0.1', '100.64.0.1', 'fe80::1', 'fd00::1', '0.0.0.0']) {
      const answer = await rawConnect(allowing.gateway, authority(host, 80), allowing.authorization);
      expect(answer, host).toMatch(/^HTTP\/1\.1 403 [\s\S]*x-atlantic-refusal: destination_forbidden\r\n/i);
    }
  });
});

describe('an admitted session’s later tunnels (the gateway’s fast path) are held to the same policy', () => {
  it('after a CONNECT it may make, one it may not is refused', async () => {
    const origin = await startLoopbackOrigin();
    const narrow = await setUp({ GATEWAY_ALLOW_CIDRS: '127.0.0.1/32' });
    try {
      const allowed = await rawConnect(narrow.gateway, authority('127.0.0.1', origin.port), narrow.authorization);
      expect(allowed).toContain(HELLO);
      for (const host of ['127.0.0.2', '::1', '169.254.169.254']) {
        const answer = await rawConnect(narrow.gateway, authority(host, origin.port), narrow.authorization);
        expect(answer, host).toMatch(/^HTTP\/1\.1 403 [\s\S]*x-atlantic-refusal: destination_forbidden\r\n/i);
        expect(answer).not.toContain(HELLO);
      }
    } finally {
      await narrow.client.close();
      await narrow.service.stop();
      await origin.close();
    }
  });
});
