import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyClient } from '../../../electron/core/proxy-client.ts';
import { curl } from '../../support/curl.ts';
import { ENGINES } from '../../support/engines.ts';
import {
  selfSignedCertificate,
  startHttpOrigin,
  startHttpsOrigin,
  type Origin,
  type TlsCertificate,
} from '../../support/origins.ts';
import { clientFor, userWithCredits } from '../../support/proxy-fixtures.ts';
import { startTestService, type TestService } from '../../support/test-service.ts';

/** Sends a raw CONNECT to the local proxy and returns the whole answer (the proxy closes after a refusal). */
function rawConnect(port: number, target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () =>
      socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`),
    );
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

for (const engine of ENGINES) {
  describe(`local proxy through the gateway, with curl [${engine}]`, () => {
    let service: TestService;
    let tls: TlsCertificate;
    let origin: Origin;
    let secure: Origin;
    let client: ProxyClient;
    let token: string;

    beforeAll(async () => {
      service = await startTestService(engine);
      tls = await selfSignedCertificate();
      origin = await startHttpOrigin();
      secure = await startHttpsOrigin(tls);
      const user = await userWithCredits(service, '5');
      token = user.token;
      client = await clientFor(user);
    });
    afterAll(async () => {
      await client?.close();
      await origin?.close();
      await secure?.close();
      await tls?.remove();
      await service?.stop();
    });

    it('serves loopback only, on the port it was given', () => {
      expect(client.port).toBeGreaterThan(0);
      expect(client.proxy.port).toBe(client.port);
    });

    it('while connected: curl -x http:// and --socks5-hostname fetch over HTTP and, through CONNECT, HTTPS', async () => {
      const state = await client.manager.connect({ country: 'us', city: 'New York' });
      expect(state.status).toBe('connected');
      const local = `127.0.0.1:${client.port}`;

      const viaHttp = await curl(['-x', `http://${local}`, `${origin.url}/hello`]);
      expect(viaHttp).toMatchObject({ code: 0, stdout: 'hello from the origin (plain)\n' });

      const viaSocks = await curl(['--socks5-hostname', local, `${origin.url}/hello`]);
      expect(viaSocks).toMatchObject({ code: 0, stdout: 'hello from the origin (plain)\n' });

      const httpsViaConnect = await curl(['-x', `http://${local}`, '--cacert', tls.certFile, `${secure.url}/hello`]);
      expect(httpsViaConnect).toMatchObject({ code: 0, stdout: 'hello from the origin (plain)\n' });

      const httpsViaSocks = await curl(['--socks5-hostname', local, '--cacert', tls.certFile, `${secure.url}/hello`]);
      expect(httpsViaSocks).toMatchObject({ code: 0, stdout: 'hello from the origin (plain)\n' });

      // A bigger body, streamed through both hops intact.
      const big = await curl([
        '-x',
        `http://${local}`,
        '-o',
        '/dev/null',
        '-w',
        '%{size_download}',
        `${origin.url}/bytes/5000000`,
      ]);
      expect(big).toMatchObject({ code: 0, stdout: '5000000' });
    });

    it('after disconnect both fail fast with a clear message, and the session is ended', async () => {
      const connected = client.manager.state;
      if (connected.status !== 'connected') throw new Error('expected a live session');
      await client.manager.disconnect();
      expect(client.manager.state.status).toBe('disconnected');
      const local = `127.0.0.1:${client.port}`;

      const viaHttp = await curl(['-x', `http://${local}`, '-w', '\n%{http_code}', `${origin.url}/hello`]);
      expect(viaHttp.code).toBe(0);
      expect(viaHttp.stdout).toMatch(
        /^Atlantic Proxy session ended \(disconnected\): you disconnected in the app\.[\s\S]*\n503$/,
      );
      expect(viaHttp.ms).toBeLessThan(1000);

      const httpsViaConnect = await curl(['-x', `http://${local}`, '--cacert', tls.certFile, `${secure.url}/hello`]);
      expect(httpsViaConnect.code).not.toBe(0);
      expect(httpsViaConnect.stderr).toContain('503');
      expect(httpsViaConnect.ms).toBeLessThan(1000);
      expect(await rawConnect(client.port, `localhost:${secure.port}`)).toMatch(
        /^HTTP\/1\.1 503 Service Unavailable\r\n[\s\S]*\r\n\r\nAtlantic Proxy session ended \(disconnected\)/,
      );

      const viaSocks = await curl(['--socks5-hostname', local, `${origin.url}/hello`]);
      expect(viaSocks.code).toBe(97); // curl: the SOCKS5 proxy refused the connection
      expect(viaSocks.stderr).toMatch(/SOCKS5.*\(2\)|not allowed/i); // reply 0x02: not allowed by ruleset
      expect(viaSocks.ms).toBeLessThan(1000);

      const sessions = await service.call('GET', '/api/proxy/sessions', { token });
      expect(sessions.body.sessions[0]).toMatchObject({
        id: connected.session.id,
        status: 'ended',
        end_reason: 'disconnected',
      });
    });
  });
}
