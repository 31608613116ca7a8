import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.ts';
import { ENGINES } from '../../support/engines.ts';
import { startTestService, type TestService } from '../../support/test-service.ts';

const PASSWORD = 'correct horse battery';
const PURCHASES = 3;
const CONNECTS = 4;

it('the per-user limits default to 30 purchases and 60 connects a minute', () => {
  expect(loadConfig({})).toMatchObject({ purchaseRateLimit: 30, connectRateLimit: 60 });
});

for (const engine of ENGINES) {
  describe(`per-user rate limits on purchase and connect [${engine}]`, () => {
    let service: TestService;
    beforeAll(async () => {
      service = await startTestService(engine, {
        LOGIN_RATE_LIMIT: '1000',
        PURCHASE_RATE_LIMIT: String(PURCHASES),
        CONNECT_RATE_LIMIT: String(CONNECTS),
        MAX_OPEN_CHECKOUTS: '100',
      });
    });
    afterAll(async () => service?.stop());

    async function signUp(email: string): Promise<{ token: string; userId: string }> {
      const { status, body } = await service.call('POST', '/api/auth/register', {
        body: { email, password: PASSWORD },
      });
      expect(status).toBe(201);
      return { token: body.token, userId: body.user.id };
    }
    const count = async (sql: string, userId: string) =>
      (await service.db.query<{ n: number }>(sql, [userId])).rows[0]!.n;
    const purchase = (token?: string) =>
      service.call('POST', '/api/credits/purchase', { ...(token && { token }), body: { amount: 5 } });
    const connect = (token: string) => service.call('POST', '/api/proxy/connect', { token, body: { country: 'us' } });

    function expectLimited(answer: { status: number; body: any }) {
      expect(answer.status).toBe(429);
      expect(answer.body).toEqual({
        error: {
          code: 'rate_limited',
          message: expect.stringMatching(/too many requests; try again in \d+ (second|minute)/),
        },
      });
    }

    it(`purchase: the ${PURCHASES + 1}th in a minute is 429 rate_limited and makes no payment; counted per user, not per address`, async () => {
      const first = await signUp(`buyer-a-${engine}@example.com`);
      const second = await signUp(`buyer-b-${engine}@example.com`);
      // Not signed in: refused as such, and not counted against anyone.
      expect((await purchase()).status).toBe(401);
      for (let i = 0; i < PURCHASES; i++) expect((await purchase(first.token)).status).toBe(201);
      const limited = await purchase(first.token);
      expectLimited(limited);
      expect(await count('SELECT count(*)::int AS n FROM payments WHERE user_id = $1', first.userId)).toBe(PURCHASES);
      // The same address, another user: their own allowance.
      for (let i = 0; i < PURCHASES; i++) expect((await purchase(second.token)).status).toBe(201);
      expectLimited(await purchase(second.token));
    });

    it(`connect: the ${CONNECTS + 1}th in a minute is 429 rate_limited and starts no session`, async () => {
      const user = await signUp(`connector-${engine}@example.com`);
      const bought = await service.call('POST', '/api/credits/purchase', { token: user.token, body: { amount: 10 } });
      expect((await service.call('POST', `${new URL(bought.body.checkout_url).pathname}/pay`)).status).toBe(200);
      for (let i = 0; i < CONNECTS; i++) expect((await connect(user.token)).status).toBe(201);
      expectLimited(await connect(user.token));
      expect(await count('SELECT count(*)::int AS n FROM proxy_sessions WHERE user_id = $1', user.userId)).toBe(
        CONNECTS,
      );
      // The other routes are not limited with it.
      expect((await service.call('GET', '/api/proxy/sessions', { token: user.token })).status).toBe(200);
    });
  });
}
