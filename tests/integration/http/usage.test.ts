import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usageResponseSchema } from '../../../shared/api/credits.ts';
import { ENGINES } from '../../support/engines.ts';
import { HOUR, MINUTE } from '../../support/fake-clock.ts';
import { startTestService, type TestService } from '../../support/test-service.ts';

const PASSWORD = 'correct horse battery';
const zeros = { country_micro: 0, city_micro: 0, state_micro: 0, isp_micro: 0, total: 0, total_micro: 0 };

for (const engine of ENGINES) {
  describe(`GET /api/credits/usage: credits spent per UTC day by tier [${engine}]`, () => {
    let service: TestService;
    let spender: string;
    let bystander: string;

    async function signUpWithCredits(dollars?: number) {
      const email = `usage-${randomUUID().slice(0, 8)}@example.com`;
      const { status, body } = await service.call('POST', '/api/auth/register', {
        body: { email, password: PASSWORD },
      });
      expect(status).toBe(201);
      const token = body.token as string;
      if (dollars !== undefined) {
        const purchase = await service.call('POST', '/api/credits/purchase', { token, body: { amount: dollars } });
        expect(purchase.status).toBe(201);
        expect((await service.call('POST', `${new URL(purchase.body.checkout_url).pathname}/pay`)).status).toBe(200);
      }
      return token;
    }

    async function connect(token: string, targeting: Record<string, string>) {
      const { status, body } = await service.call('POST', '/api/proxy/connect', { token, body: targeting });
      expect(status).toBe(201);
      return body.session.id as string;
    }

    const heartbeat = async (token: string, sessionId: string) =>
      expect(
        (await service.call('POST', '/api/proxy/heartbeat', { token, body: { session_id: sessionId } })).status,
      ).toBe(200);

    async function usage(token: string, query = '') {
      const { status, body } = await service.call('GET', `/api/credits/usage${query}`, { token });
      expect(status).toBe(200);
      return usageResponseSchema.parse(body).days;
    }

    beforeAll(async () => {
      // The fake clock starts at 2026-01-01 12:00 UTC.
      service = await startTestService(engine);
      spender = await signUpWithCredits(25);
      bystander = await signUpWithCredits();

      // Day one: a country session and a city session, one metered minute each.
      const country = await connect(spender, { country: 'us' });
      const city = await connect(spender, { country: 'us', city: 'new york' });
      service.clock.advance(MINUTE);
      await heartbeat(spender, country);
      await heartbeat(spender, city);
      await service.worker.tick();
      for (const id of [country, city]) {
        expect(
          (await service.call('POST', '/api/proxy/disconnect', { token: spender, body: { session_id: id } })).status,
        ).toBe(200);
      }

      // Day two: an ISP session, two minutes, charged when it disconnects.
      service.clock.advance(24 * HOUR);
      const isp = await connect(spender, { country: 'us', isp: 'Comcast' });
      service.clock.advance(MINUTE);
      await heartbeat(spender, isp);
      service.clock.advance(MINUTE);
      const ended = await service.call('POST', '/api/proxy/disconnect', { token: spender, body: { session_id: isp } });
      expect(ended.status).toBe(200);
    });
    afterAll(async () => service?.stop());

    it('puts each charge on the day it was made, under the tier of its session', async () => {
      expect(await usage(spender, '?days=3')).toEqual([
        { date: '2025-12-31', ...zeros },
        {
          date: '2026-01-01',
          ...zeros,
          // 0.50/h and 0.75/h for one minute, to the micro-credit (floor).
          country_micro: 8_333,
          city_micro: 12_500,
          total: 0.020833,
          total_micro: 20_833,
        },
        // 1.00/h for two minutes.
        { date: '2026-01-02', ...zeros, isp_micro: 33_333, total: 0.033333, total_micro: 33_333 },
      ]);
    });

    it('adds up to what the wallet says was spent', async () => {
      const days = await usage(spender, '?days=90');
      const balance = await service.call('GET', '/api/credits/balance', { token: spender });
      expect(days.reduce((sum, day) => sum + day.total_micro, 0)).toBe(balance.body.total_spent_micro);
      expect(balance.body.total_spent_micro).toBe(8_333 + 12_500 + 33_333);
    });

    it('covers the last 30 days by default, oldest first, ending today', async () => {
      const days = await usage(spender);
      expect(days).toHaveLength(30);
      expect(days[0]!.date).toBe('2025-12-04');
      expect(days.at(-1)!.date).toBe('2026-01-02');
      expect(days.map((d) => d.date)).toEqual([...days.map((d) => d.date)].sort());
    });

    it('takes days from 1 to 90', async () => {
      expect((await usage(spender, '?days=1')).map((d) => d.date)).toEqual(['2026-01-02']);
      expect(await usage(spender, '?days=90')).toHaveLength(90);
      const refused = await service.call('GET', '/api/credits/usage?days=91', { token: spender });
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe('invalid_input');
    });

    it("never shows one user another's usage", async () => {
      const days = await usage(bystander, '?days=3');
      expect(days.map((d) => d.date)).toEqual(['2025-12-31', '2026-01-01', '2026-01-02']);
      expect(days.every((d) => d.total_micro === 0)).toBe(true);
    });

    it('needs a token', async () => {
      const { status, body } = await service.call('GET', '/api/credits/usage');
      expect(status).toBe(401);
      expect(body.error.code).toBeTypeOf('string');
    });
  });
}
