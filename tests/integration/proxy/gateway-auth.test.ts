import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl } from '../../support/curl.ts';
import { ENGINES } from '../../support/engines.ts';
import { startHttpOrigin, type Origin } from '../../support/origins.ts';
import { userWithCredits, type ProxyUser } from '../../support/proxy-fixtures.ts';
import { basicAuthorization, rawAbsoluteGet, rawConnect } from '../../support/proxy-requests.ts';
import { startTestService, type TestService } from '../../support/test-service.ts';

interface Gateway {
  host: string;
  port: number;
  username: string;
  password: string;
}

for (const engine of ENGINES) {
  describe(`gateway admission [${engine}]`, () => {
    let service: TestService;
    let origin: Origin;
    let user: ProxyUser;
    let gateway: Gateway;

    beforeAll(async () => {
      service = await startTestService(engine);
      origin = await startHttpOrigin();
      user = await userWithCredits(service, '5');
      gateway = (await user.billing.connect({ country: 'de' })).gateway;
    });
    afterAll(async () => {
      await origin?.close();
      await service?.stop();
    });

    it('connect hands out the port the gateway really listens on', () => {
      expect(gateway.host).toBe('127.0.0.1');
      expect(gateway.port).toBe(service.gateway!.port);
      expect(gateway.port).not.toBe(8788);
    });

    it('admits the right credentials over CONNECT and absolute URI', async () => {
      const proxy = [
        '-x',
        `http://${gateway.host}:${gateway.port}`,
        '--proxy-user',
        `${gateway.username}:${gateway.password}`,
      ];
      expect(await curl([...proxy, `${origin.url}/hello`])).toMatchObject({
        code: 0,
        stdout: 'hello from the origin (plain)\n',
      });
      expect(await curl([...proxy, '-p', `${origin.url}/hello`])).toMatchObject({
        code: 0,
        stdout: 'hello from the origin (plain)\n',
      });
    });

    it('wrong, missing or malformed credentials get 407 with a reason and never a tunnel', async () => {
      const before = origin.connections;
      const cases: [string | null, RegExp][] = [
        [`${gateway.username}:not-the-password`, /Unknown session or wrong password/],
        [`${crypto.randomUUID()}:${gateway.password}`, /Unknown session or wrong password/],
        [`${gateway.username}-city-london:${gateway.password}`, /Unknown session or wrong password/],
        [`${gateway.username.toUpperCase()}:wrong`, /Unknown session or wrong password/],
        [null, /Proxy credentials required/],
      ];
      for (const [credentials, reason] of cases) {
        const authorization = credentials === null ? null : basicAuthorization(credentials);
        const answer = await rawConnect(gateway, `127.0.0.1:${origin.port}`, authorization);
        expect(answer).toMatch(/^HTTP\/1\.1 407 Proxy Authentication Required\r\n/);
        expect(answer).toMatch(/\r\nproxy-authenticate: Basic realm="Atlantic Proxy"\r\n/i);
        expect(answer).toMatch(reason);
        expect(answer).not.toContain('hello from the origin');
      }
      const viaCurl = await curl([
        '-x', `http://${gateway.host}:${gateway.port}`, '--proxy-user', `${gateway.username}:nope`,
        '-w', '\n%{http_code}', `${origin.url}/hello`,
      ]); // prettier-ignore
      expect(viaCurl.stdout).toBe('Unknown session or wrong password.\n407');
      const tunnelViaCurl = await curl([
        '-p', '-x', `http://${gateway.host}:${gateway.port}`, '--proxy-user', `${gateway.username}:nope`, `${origin.url}/hello`,
      ]); // prettier-ignore
      expect(tunnelViaCurl.code).toBe(56);
      expect(tunnelViaCurl.stderr).toContain('407');
      expect(origin.connections).toBe(before);
    });

    it('a missing, malformed or non-Basic Proxy-Authorization gets 407 with its reason, over CONNECT and absolute URI', async () => {
      const before = origin.connections;
      const base64 = (text: string) => Buffer.from(text).toString('base64');
      const cases: [string, RegExp][] = [
        [`Bearer ${user.token}`, /must use the Basic scheme/],
        ['Digest username="x", realm="Atlantic Proxy", nonce="1", uri="/", response="0"', /must use the Basic scheme/],
        [`Negotiate ${base64('x')}`, /must use the Basic scheme/],
        [base64(`${gateway.username}:${gateway.password}`), /must use the Basic scheme/],
        ['Basic', /Basic carries no credentials/],
        ['Basic    ', /Basic carries no credentials/],
        ['Basic !!!not*base64!!!', /not valid base64/],
        ['Basic dXNlcjpwYXNz%%', /not valid base64/],
        [`Basic ${base64('a:b')} ${base64('c:d')}`, /not valid base64/],
        [`Basic ${base64(gateway.username)}`, /must be session-id:password/],
        ['', /Proxy credentials required/],
      ];
      for (const [authorization, reason] of cases) {
        for (const answer of [
          await rawConnect(gateway, `127.0.0.1:${origin.port}`, authorization),
          await rawAbsoluteGet(gateway, `${origin.url}/hello`, authorization),
        ]) {
          expect(answer, authorization).toMatch(/^HTTP\/1\.1 407 Proxy Authentication Required\r\n/);
          expect(answer).toMatch(/\r\nproxy-authenticate: Basic realm="Atlantic Proxy"\r\n/i);
          expect(answer).toMatch(/\r\nx-atlantic-refusal: credentials_required\r\n/i);
          expect(answer).toMatch(reason);
          expect(answer).not.toContain('hello from the origin');
        }
      }
      expect(origin.connections).toBe(before);
      // The scheme is matched case-insensitively (RFC 7617): the right credentials still get through.
      const lower = `basic ${base64(`${gateway.username}:${gateway.password}`)}`;
      expect(await rawAbsoluteGet(gateway, `${origin.url}/hello`, lower)).toMatch(
        /^HTTP\/1\.1 200 [\s\S]*hello from the origin/,
      );
    });

    it('an ended session gets 407 saying it ended and why; its open tunnels are closed', async () => {
      const second = await user.billing.connect({ country: 'us' });
      const open = net.connect(second.gateway.port, second.gateway.host);
      const auth = Buffer.from(`${second.gateway.username}:${second.gateway.password}`).toString('base64');
      open.write(`CONNECT 127.0.0.1:${origin.port} HTTP/1.1\r\nProxy-Authorization: Basic ${auth}\r\n\r\n`);
      await new Promise((resolve) => open.once('data', resolve));
      const closed = new Promise((resolve) => open.once('close', resolve));

      const endedAt = performance.now();
      await user.billing.disconnect(second.session.id);
      await closed;
      expect(performance.now() - endedAt).toBeLessThan(1000);

      const answer = await rawConnect(
        second.gateway,
        `127.0.0.1:${origin.port}`,
        basicAuthorization(`${second.gateway.username}:${second.gateway.password}`),
      );
      expect(answer).toMatch(/^HTTP\/1\.1 407 /);
      expect(answer).toMatch(/\r\nx-atlantic-refusal: session_ended:disconnected\r\n/i);
      expect(answer).toContain('The session has ended (disconnected).');
    });

    it("closes an ended session's tunnels even when the end announcement is missed (the safety sweep)", async () => {
      const third = await user.billing.connect({ country: 'gb' });
      const open = net.connect(third.gateway.port, third.gateway.host);
      const auth = Buffer.from(`${third.gateway.username}:${third.gateway.password}`).toString('base64');
      open.write(`CONNECT 127.0.0.1:${origin.port} HTTP/1.1\r\nProxy-Authorization: Basic ${auth}\r\n\r\n`);
      await new Promise((resolve) => open.once('data', resolve));
      const closed = new Promise((resolve) => open.once('close', resolve));
      // Ended behind the gateway's back: no NOTIFY is sent.
      await service.db.query(
        `UPDATE proxy_sessions SET status = 'ended', end_reason = 'admin', ended_at = now() WHERE id = $1`,
        [third.session.id],
      );
      const endedAt = performance.now();
      await closed;
      expect(performance.now() - endedAt).toBeLessThan(1500);
      // Nor is the session admitted again from the gateway's memory of it.
      const again = await rawConnect(
        third.gateway,
        `127.0.0.1:${origin.port}`,
        basicAuthorization(`${third.gateway.username}:${third.gateway.password}`),
      );
      expect(again).toMatch(/^HTTP\/1\.1 407 [\s\S]*The session has ended \(admin\)\./);
    });

    it('a keep-alive connection carries one session only', async () => {
      const other = await user.billing.connect({ country: 'fr' });
      const first = await user.billing.connect({ country: 'ca' });
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(first.gateway.port, first.gateway.host);
        const request = (g: Gateway) =>
          `GET ${origin.url}/hello HTTP/1.1\r\nHost: 127.0.0.1:${origin.port}\r\n` +
          `Proxy-Authorization: Basic ${Buffer.from(`${g.username}:${g.password}`).toString('base64')}\r\n\r\n`;
        socket.write(request(first.gateway));
        socket.once('data', () => socket.write(request(other.gateway)));
        let text = '';
        socket.on('data', (chunk) => (text += chunk.toString()));
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 200 /);
      expect(answer).toContain('HTTP/1.1 407 ');
      expect(answer).toContain('This connection carries another session; open a new one.');
    });
  });
}
