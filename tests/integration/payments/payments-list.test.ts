import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paymentOutcome, paymentsResponseSchema } from '../../../shared/api/credits.ts';
import { ENGINES } from '../../support/engines.ts';
import { PaymentsWorld } from './payments-world.ts';

for (const engine of ENGINES) {
  describe(`GET /api/payments: every order with its package and how it ended [${engine}]`, () => {
    let world: PaymentsWorld;
    beforeAll(async () => {
      world = await PaymentsWorld.start(engine);
    });
    afterAll(async () => world?.stop());

    it('lists paid, cancelled and pending orders, only the caller’s own', async () => {
      const user = await world.signUp('lister');
      const other = await world.signUp('other');
      const paid = await world.purchase(user, 'sandbox', 25);
      await world.pay(paid, 'sandbox');
      const cancelled = await world.purchase(user, 'sandbox', 10);
      await world.service.call('POST', `${new URL(cancelled.checkoutUrl).pathname}/cancel`);
      const pending = await world.purchase(user, 'sandbox', 5);
      await world.purchase(other, 'sandbox', 50);

      const { status, body } = await world.service.call('GET', '/api/payments', { token: user.token });
      expect(status).toBe(200);
      const { payments } = paymentsResponseSchema.parse(body);
      // The test service's clock stands still, so all three share one created_at: compare as a set.
      expect(payments.map((p) => [p.payment_id, p.package_id, paymentOutcome(p)]).sort()).toEqual(
        [
          [pending.paymentId, 'usd_5', 'pending'],
          [cancelled.paymentId, 'usd_10', 'cancelled'],
          [paid.paymentId, 'usd_25', 'paid'],
        ].sort(),
      );
      expect(payments.find((p) => p.payment_id === cancelled.paymentId)!.failure_reason).toBe('cancelled');

      const limited = await world.service.call('GET', '/api/payments?limit=1', { token: user.token });
      expect(limited.body.payments).toHaveLength(1);
      const bad = await world.service.call('GET', '/api/payments?limit=0', { token: user.token });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('invalid_input');
      const anonymous = await world.service.call('GET', '/api/payments');
      expect(anonymous.status).toBe(401);
    });
  });
}
