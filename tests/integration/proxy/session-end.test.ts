import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyClient } from '../../../electron/core/proxy-client.ts';
import { curl } from '../../support/curl.ts';
import { ENGINES } from '../../support/engines.ts';
import { MINUTE } from '../../support/fake-clock.ts';
import { startHttpOrigin, type Origin } from '../../support/origins.ts';
import { clientFor, userWithCredits, type ProxyUser } from '../../support/proxy-fixtures.ts';
import { startTestService, type TestService } from '../../support/test-service.ts';

for (const engine of ENGINES) {
  describe(`a session that runs out of credits mid-download [${engine}]`, () => {
    let service: TestService;
    let origin: Origin;
    let user: ProxyUser;
    let client: ProxyClient;

    beforeAll(async () => {
      // Heartbeats are not what is tested here: the fake clock jumps an hour. The gateway's
      // safety sweep is slowed down so only the end announcement can cut within a second.
      service = await startTestService(engine, {
        HEARTBEAT_TIMEOUT_MS: String(24 * 60 * MINUTE),
        HEARTBEAT_GAP_MS: String(24 * 60 * MINUTE),
        GATEWAY_SWEEP_MS: String(60_000),
      });
      origin = await startHttpOrigin();
      // Exactly one hour of a city session (the minimum to start one).
      user = await userWithCredits(service, '0.75');
      client = await clientFor(user);
    });
    afterAll(async () => {
      await client?.close();
      await origin?.close();
      await service?.stop();
    });

    it('cuts the downloads in progress within one second of the tick that ends it, then says why', async () => {
      const state = await client.manager.connect({ country: 'us', city: 'Chicago' });
      expect(state.status).toBe('connected');
      const local = `127.0.0.1:${client.port}`;
      const downloads = [
        curl(['-x', `http://${local}`, '-o', '/dev/null', `${origin.url}/stream`], 30_000),
        curl(['--socks5-hostname', local, '-o', '/dev/null', `${origin.url}/stream`], 30_000),
        curl(['-p', '-x', `http://${local}`, '-o', '/dev/null', `${origin.url}/stream`], 30_000),
      ];
      // Every download is flowing through the gateway before the session ends.
      await expect.poll(() => service.gateway!.openConnections(), { timeout: 5000 }).toBe(3);
      await new Promise((resolve) => setTimeout(resolve, 200));

      // An hour and a minute served (the client's heartbeat says it is still there) costs more than the balance.
      service.clock.advance(61 * MINUTE);
      await client.manager.checkNow();
      expect(client.manager.state.status).toBe('connected');
      const tickAt = performance.now();
      const tick = await service.worker.tick();
      expect(tick.ended).toHaveLength(1);
      const results = await Promise.all(downloads);
      const cutAfterMs = performance.now() - tickAt;
      expect(cutAfterMs).toBeLessThan(1000);
      for (const result of results) expect(result.code).not.toBe(0); // a partial transfer is an error

      const sessions = await service.call('GET', '/api/proxy/sessions', { token: user.token });
      expect(sessions.body.sessions[0]).toMatchObject({ status: 'ended', end_reason: 'insufficient_credits' });
      expect((await service.call('GET', '/api/credits/balance', { token: user.token })).body.balance_micro).toBe(0);

      // The next request is refused at the gateway; the client learns why at once and says so.
      const refused = await curl(['-x', `http://${local}`, '-w', '\n%{http_code}', `${origin.url}/hello`]);
      expect(refused.stdout).toMatch(/^Atlantic Proxy session ended \(insufficient_credits\): Your credits ran out\./);
      expect(refused.stdout).toMatch(/\n503$/);
      await expect.poll(() => client.manager.state).toMatchObject({ status: 'ended', reason: 'insufficient_credits' });
      const socks = await curl(['--socks5-hostname', local, `${origin.url}/hello`]);
      expect(socks.code).toBe(97);
      expect(socks.ms).toBeLessThan(1000);
    });
  });
}
