import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.ts';
import { ENGINES } from '../../support/engines.ts';
import { MINUTE } from '../../support/fake-clock.ts';
import { startTestService, type TestService } from '../../support/test-service.ts';

const PASSWORD = 'correct horse battery';
const EXPIRY_MINUTES = 30;

async function signUp(service: TestService, email: string): Promise<{ token: string; userId: string }> {
  const { status, body } = await service.call('POST', '/api/auth/register', { body: { email, password: PASSWORD } });
  expect(status).toBe(201);
  return { token: body.token, userId: body.user.id };
}

const buy = (service: TestService, token: string) =>
  service.call('POST', '/api/credits/purchase', { token, body: { amount: 5 } });

async function pendingOf(service: TestService, userId: string): Promise<number> {
  const { rows } = await service.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM payments WHERE user_id = $1 AND status = 'pending'`,
    [userId],
  );
  return rows[0]!.n;
}

it('MAX_OPEN_CHECKOUTS is 5 unless set', () => {
  expect(loadConfig({}).maxOpenCheckouts).toBe(5);
  expect(loadConfig({ MAX_OPEN_CHECKOUTS: '2' }).maxOpenCheckouts).toBe(2);
  expect(() => loadConfig({ MAX_OPEN_CHECKOUTS: '0' })).toThrow();
});

for (const engine of ENGINES) {
  describe(`open checkouts: at most MAX_OPEN_CHECKOUTS unpaid at once per user [${engine}]`, () => {
    let service: TestService;
    beforeAll(async () => {
      service = await startTestService(engine, {
        LOGIN_RATE_LIMIT: '1000',
        PAYMENT_EXPIRY_MINUTES: String(EXPIRY_MINUTES),
      });
    });
    afterAll(async () => service?.stop());

    it('the sixth open checkout is a 429 with a code and a reason, and writes nothing; other users are not affected', async () => {
      const user = await signUp(service, `capped-${engine}@example.com`);
      for (let i = 0; i < 5; i++) expect((await buy(service, user.token)).status).toBe(201);
      const refused = await buy(service, user.token);
      expect(refused.status).toBe(429);
      expect(refused.body).toEqual({
        error: {
          code: 'too_many_open_checkouts',
          message: expect.stringMatching(/5 checkouts waiting for payment.*pay or cancel one/),
          details: { open_checkouts: 5, limit: 5 },
        },
      });
      expect(await pendingOf(service, user.userId)).toBe(5);
      const { rows } = await service.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM payments WHERE user_id = $1',
        [user.userId],
      );
      expect(rows[0]!.n).toBe(5);

      const other = await signUp(service, `other-${engine}@example.com`);
      expect((await buy(service, other.token)).status).toBe(201);
    });

    it('a paid, a cancelled and an expired checkout each free their place', async () => {
      const user = await signUp(service, `freed-${engine}@example.com`);
      const started: { checkout_url: string }[] = [];
      for (let i = 0; i < 5; i++) started.push((await buy(service, user.token)).body);
      expect((await buy(service, user.token)).status).toBe(429);

      const checkout = (i: number) => new URL(started[i]!.checkout_url).pathname;
      expect((await service.call('POST', `${checkout(0)}/pay`)).status).toBe(200);
      expect((await buy(service, user.token)).status).toBe(201);
      expect((await buy(service, user.token)).status).toBe(429);

      expect((await service.call('POST', `${checkout(1)}/cancel`)).status).toBe(200);
      expect((await buy(service, user.token)).status).toBe(201);
      expect((await buy(service, user.token)).status).toBe(429);

      // Past their expiry the five still pending no longer count, even before the expiry worker marks them.
      service.clock.advance(EXPIRY_MINUTES * MINUTE);
      expect(await pendingOf(service, user.userId)).toBe(5);
      for (let i = 0; i < 5; i++) expect((await buy(service, user.token)).status).toBe(201);
      expect((await buy(service, user.token)).status).toBe(429);
      expect(await pendingOf(service, user.userId)).toBe(10);
    });
  });
}

describe('open checkouts under concurrency [postgres]', () => {
  let service: TestService;
  beforeAll(async () => {
    // Lift the purchase rate limit: this is about the cap, not the rate.
    service = await startTestService('postgres', { PURCHASE_RATE_LIMIT: '1000', DATABASE_POOL_SIZE: '20' });
  });
  afterAll(async () => service?.stop());

  it('50 parallel purchases by one user make exactly 5 pending payments; the other 45 are 429', async () => {
    const user = await signUp(service, 'parallel@example.com');
    const answers = await Promise.all(Array.from({ length: 50 }, () => buy(service, user.token)));
    const tally: Record<string, number> = {};
    for (const { status, body } of answers) {
      const key = `${status} ${body.error?.code ?? body.status}`;
      tally[key] = (tally[key] ?? 0) + 1;
    }
    expect(tally).toEqual({ '201 pending': 5, '429 too_many_open_checkouts': 45 });
    expect(await pendingOf(service, user.userId)).toBe(5);
  });
});
