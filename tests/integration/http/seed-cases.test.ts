import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adjustBalance } from '../../../server/ledger/admin-adjustment.ts';
import { verifyLedger } from '../../../server/ledger/verify-ledger.ts';
import { ENGINES } from '../../support/engines.ts';
import { MINUTE } from '../../support/fake-clock.ts';
import { startTestService, type TestService } from '../../support/test-service.ts';

for (const engine of ENGINES) {
  describe(`the seed's test cases over HTTP [${engine}]`, () => {
    let service: TestService;
    beforeAll(async () => {
      service = await startTestService(engine);
    });
    afterAll(async () => service?.stop());

    async function signUp(email: string) {
      const { status, body } = await service.call('POST', '/api/auth/register', {
        body: { email, password: 'correct horse battery' },
      });
      expect(status).toBe(201);
      return body.token as string;
    }

    it('purchase 25 → 27 credits; connect with city; one minute costs 0.0125; 0.50 cannot connect with ISP', async () => {
      const token = await signUp('seed@example.com');

      const purchase = await service.call('POST', '/api/credits/purchase', {
        token,
        body: { amount: 25, method: 'sandbox' },
      });
      expect(purchase.status).toBe(201);
      expect(purchase.body).toMatchObject({ status: 'pending', test_mode: true });
      // The user pays on the (test-mode) checkout page the app opened.
      const checkout = new URL(purchase.body.checkout_url);
      const paid = await service.call('POST', `${checkout.pathname}/pay`);
      expect(paid.status).toBe(200);

      const balance = await service.call('GET', '/api/credits/balance', { token });
      expect(balance.body).toMatchObject({ balance: 27, balance_micro: 27_000_000 });
      expect(balance.body.hours_remaining).toMatchObject({ country_only: 54, with_city: 36, with_isp: 27 });
      expect(balance.body.hours_remaining.with_state).toBeCloseTo(27 / 0.85, 6);

      const connect = await service.call('POST', '/api/proxy/connect', {
        token,
        body: { country: 'US', city: 'new york' },
      });
      expect(connect.status).toBe(201);
      expect(connect.body.session).toMatchObject({
        tier: 'city',
        rate_per_hour: 0.75,
        targeting: { country: 'us', city: 'New York' },
      });
      const sessionId = connect.body.session.id;

      service.clock.advance(MINUTE);
      expect(
        (await service.call('POST', '/api/proxy/heartbeat', { token, body: { session_id: sessionId } })).status,
      ).toBe(200);
      await service.worker.tick();
      const after = await service.call('GET', '/api/credits/balance', { token });
      expect(after.body.balance_micro).toBe(27_000_000 - 12_500);
      expect(after.body.balance).toBe(26.9875);

      // Half a credit, granted by an operator, is below one hour of ISP.
      const poor = await signUp('poor@example.com');
      const me = await service.call('GET', '/api/auth/me', { token: poor });
      await adjustBalance(service.db, {
        userId: me.body.id,
        amount: 500_000n,
        reason: 'seed case',
        by: { adminId: null, name: 'test' },
      });
      expect((await service.call('GET', '/api/credits/balance', { token: poor })).body.balance).toBe(0.5);
      const refused = await service.call('POST', '/api/proxy/connect', {
        token: poor,
        body: { country: 'us', isp: 'Comcast' },
      });
      expect(refused.status).toBe(402);
      expect(refused.body.error).toMatchObject({
        code: 'insufficient_credits',
        details: { needed: 1_000_000, balance: 500_000 },
      });

      expect(await verifyLedger(service.db)).toEqual([]);
    });
  });
}
