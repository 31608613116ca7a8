import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BillingClient } from '../../../electron/core/billing/billing-client.ts';
import { BillingError } from '../../../electron/core/billing/billing-error.ts';
import { DEFAULT_CATALOG } from '../../../server/locations/default-catalog.ts';
import { ENGINES } from '../../support/engines.ts';
import { exitsFile, userWithCredits, type ProxyUser } from '../../support/proxy-fixtures.ts';
import { startTestService, type TestService } from '../../support/test-service.ts';

for (const engine of ENGINES) {
  describe(`the client core's billing client on the real service [${engine}]`, () => {
    let service: TestService;
    let user: ProxyUser;

    beforeAll(async () => {
      service = await startTestService(engine);
      user = await userWithCredits(service, '0.8');
    });
    afterAll(async () => service?.stop());

    it('embedded default: the exit is this machine, serving the default catalog', async () => {
      const locations = await user.billing.locations();
      expect(locations.exit).toMatchObject({ kind: 'direct', description: expect.stringContaining('this computer') });
      expect(locations.countries).toEqual(DEFAULT_CATALOG);
    });

    it('parses answers with the shared schemas: connect, heartbeat, sessions, disconnect', async () => {
      const { session, gateway } = await user.billing.connect({ country: 'us', city: 'Austin' });
      expect(session).toMatchObject({ status: 'active', tier: 'city', targeting: { country: 'us', city: 'Austin' } });
      expect(gateway).toMatchObject({ host: '127.0.0.1', port: service.gateway!.port, username: session.id });
      expect((await user.billing.heartbeat(session.id)).id).toBe(session.id);
      expect((await user.billing.sessions({ status: 'active' })).map((s) => s.id)).toEqual([session.id]);
      expect(await user.billing.disconnect(session.id)).toMatchObject({ status: 'ended', end_reason: 'disconnected' });
      expect((await user.billing.balance()).balance_micro).toBeLessThanOrEqual(800_000);
    });

    it('turns error answers into BillingErrors with the service code and details', async () => {
      const refused = await user.billing.connect({ country: 'us', isp: 'Comcast' }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(BillingError);
      expect(refused).toMatchObject({ code: 'insufficient_credits', status: 402, transient: false });
      expect((refused as BillingError).details).toMatchObject({ tier: 'isp', needed: 1_000_000 });
      const unknown = await user.billing.heartbeat(crypto.randomUUID()).catch((e: unknown) => e);
      expect(unknown).toMatchObject({ code: 'unknown_session', status: 404 });
      const anonymous = new BillingClient({ baseUrl: service.url, token: () => undefined });
      expect(await anonymous.balance().catch((e: unknown) => e)).toMatchObject({ code: 'unauthorized', status: 401 });
    });

    it('an unreachable service is a transient `network` error', async () => {
      const offline = new BillingClient({ baseUrl: 'http://127.0.0.1:9', token: () => user.token, timeoutMs: 2000 });
      expect(await offline.heartbeat(crypto.randomUUID()).catch((e: unknown) => e)).toMatchObject({
        code: 'network',
        transient: true,
      });
    });
  });
}

describe('gateway and exits configuration at start-up [pglite]', () => {
  it('with gateways run on their own, the service runs none and hands out the configured address', async () => {
    const service = await startTestService('pglite', {
      GATEWAY_EMBEDDED: '0',
      GATEWAY_HOST: 'gw.example',
      GATEWAY_PORT: '9999',
    });
    try {
      expect(service.gateway).toBeUndefined();
      const user = await userWithCredits(service, '1');
      expect((await user.billing.connect({ country: 'us' })).gateway).toMatchObject({ host: 'gw.example', port: 9999 });
    } finally {
      await service.stop();
    }
  });

  it('a bad exits file stops the service from starting, and says which file and why', async () => {
    const file = await exitsFile([{ id: 'a', url: 'ftp://x:1', tags: { country: 'de' } }]);
    await expect(startTestService('pglite', { ATLANTIC_EXITS_FILE: file })).rejects.toThrow(
      `exits file ${file}: 0.url: direct, http://… or socks5://…`,
    );
    await expect(startTestService('pglite', { ATLANTIC_EXITS_FILE: '/nonexistent/exits.json' })).rejects.toThrow(
      'exits file /nonexistent/exits.json: ENOENT',
    );
  });
});
