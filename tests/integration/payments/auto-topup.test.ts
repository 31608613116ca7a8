import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adjustBalance } from '../../../server/ledger/admin-adjustment.ts';
import { verifyLedger } from '../../../server/ledger/verify-ledger.ts';
import { credits } from '../../../shared/money.ts';
import { ENGINES } from '../../support/engines.ts';
import { HOUR } from '../../support/fake-clock.ts';
import { PaymentsWorld, type User } from './payments-world.ts';

const TEN = 10_000_000;
const until = (check: () => Promise<void> | void) => vi.waitFor(check, { timeout: 10_000, interval: 25 });
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

for (const engine of ENGINES) {
  describe(`auto top-up with a saved Paystack card [${engine}]`, () => {
    let world: PaymentsWorld;
    beforeAll(async () => {
      // Heartbeats may be hours apart, so a test can spend credits by metering a session.
      world = await PaymentsWorld.start(engine, {
        HEARTBEAT_TIMEOUT_MS: String(48 * HOUR),
        HEARTBEAT_GAP_MS: String(48 * HOUR),
      });
    });
    afterAll(async () => world?.stop());

    /** Spends credits the way any debit does (one ledger transaction), `times` at once. */
    const spend = (user: User, amount: string, times = 1) =>
      Promise.all(
        Array.from({ length: times }, () =>
          adjustBalance(world.db, {
            userId: user.userId,
            amount: -credits(amount),
            reason: 'spent (test)',
            by: { adminId: null, name: 'test' },
          }),
        ),
      );

    const settings = (user: User) => world.service.call('GET', '/api/auto-topup', { token: user.token });
    const turnOn = (user: User, body: Record<string, unknown> = {}) =>
      world.service.call('PUT', '/api/auto-topup', {
        token: user.token,
        body: { enabled: true, package_id: 'usd_10', threshold: '20', monthly_cap_cents: 5_000, ...body },
      });
    const chargesOf = (user: User) => world.paystack.charges().filter((c) => c.email === user.email);

    /** A user who paid $25 by card (27 credits): Paystack marks the card reusable, so it is saved. */
    async function cardHolder() {
      const user = await world.signUp('topup');
      const purchase = await world.purchase(user, 'paystack');
      await world.pay(purchase, 'paystack');
      const transaction = world.paystack.transaction(purchase.reference)!;
      return { user, authorizationCode: `AUTH_${transaction.id.toString(36)}` };
    }

    it('saves the reusable card (brand, last 4, expiry only) and charges it once per crossing', async () => {
      const { user } = await cardHolder();
      const seen = await settings(user);
      expect(seen.body).toMatchObject({
        enabled: false,
        card: { brand: 'visa', last4: '4081', exp_month: 12, exp_year: 2030 },
      });
      expect(JSON.stringify(seen.body)).not.toMatch(/AUTH_|SIG_|authorization/i);

      const on = await turnOn(user);
      expect(on.status, JSON.stringify(on.body)).toBe(200);
      expect(on.body).toMatchObject({ enabled: true, package_id: 'usd_10', threshold_micro: 20_000_000 });
      await settle();
      expect(chargesOf(user)).toHaveLength(0); // 27 ≥ 20: nothing to do

      // Ten debits at once take 27 → 17: one crossing, one charge, +10.
      await spend(user, '1', 10);
      await until(async () => expect(await world.balance(user)).toBe(17_000_000 + TEN));
      await settle();
      expect(chargesOf(user)).toHaveLength(1);
      expect(chargesOf(user)[0]).toMatchObject({ amount: 1_000, currency: 'USD', status: 'success' });

      // The next crossing (27 → 19) charges once more; the webhook's retries credit nothing again.
      await spend(user, '8');
      await until(async () => expect(await world.balance(user)).toBe(19_000_000 + TEN));
      await settle();
      expect(chargesOf(user)).toHaveLength(2);
      const webhooks = world.paystack
        .deliveries()
        .filter((d) => chargesOf(user).some((c) => d.rawBody.includes(c.reference)));
      expect(webhooks.length).toBeGreaterThan(0);
      for (const delivery of webhooks) await world.paystack.deliver(delivery, { times: 3, concurrent: true });
      expect(await world.balance(user)).toBe(19_000_000 + TEN);
      const view = await settings(user);
      expect(view.body.recent.map((t: any) => t.status)).toEqual(['paid', 'paid']);
      expect(view.body.spent_this_month_cents).toBe(2_000);
      const orders = await world.service.call('GET', '/api/payments', { token: user.token });
      expect(orders.body.payments.filter((p: any) => p.status === 'paid')).toHaveLength(3);
      expect(await verifyLedger(world.db)).toEqual([]);
    });

    it('a metering tick that takes the balance below the threshold tops it up', async () => {
      const { user } = await cardHolder();
      expect((await turnOn(user, { threshold: '26' })).status).toBe(200);
      const connect = await world.service.call('POST', '/api/proxy/connect', {
        token: user.token,
        body: { country: 'us' },
      });
      expect(connect.status, JSON.stringify(connect.body)).toBe(201);
      const session = { session_id: connect.body.session.id };
      world.service.clock.advance(3 * HOUR); // 3 h × 0.50 = 1.50: 27 → 25.50
      await world.service.call('POST', '/api/proxy/heartbeat', { token: user.token, body: session });
      await world.service.worker.tick();
      await until(async () => expect(await world.balance(user)).toBe(25_500_000 + TEN));
      expect(chargesOf(user)).toHaveLength(1);
      await world.service.call('POST', '/api/proxy/disconnect', { token: user.token, body: session });
      expect(await verifyLedger(world.db)).toEqual([]);
    });

    it('a top-up that leaves the balance below the threshold is no new crossing, though usage is unposted', async () => {
      const { user } = await cardHolder();
      const connect = await world.service.call('POST', '/api/proxy/connect', {
        token: user.token,
        body: { country: 'us' },
      });
      expect(connect.status, JSON.stringify(connect.body)).toBe(201);
      const session = { session_id: connect.body.session.id };
      // 50 minutes at 0.50/h: 0.416666 taken from the balance, not yet posted (the hour is not over).
      world.service.clock.advance(50 * 60_000);
      await world.service.call('POST', '/api/proxy/heartbeat', { token: user.token, body: session });
      await world.service.worker.tick();
      expect(await world.balance(user)).toBe(26_583_334);
      expect((await turnOn(user, { threshold: '26' })).status).toBe(200);
      // 26.583334 → 15.80: one crossing; the top-up brings it to 25.80, below 26 (the posted
      // balance, 26.216666, is above it: read as the balance, it would be a crossing again).
      await spend(user, '10.783334');
      await until(async () => expect(await world.balance(user)).toBe(15_800_000 + TEN));
      await settle();
      expect(chargesOf(user)).toHaveLength(1);
      expect(await world.balance(user)).toBe(25_800_000);
      await world.service.call('POST', '/api/proxy/disconnect', { token: user.token, body: session });
      expect(await verifyLedger(world.db)).toEqual([]);
    });

    it('the monthly cap is never exceeded', async () => {
      const { user } = await cardHolder();
      expect((await turnOn(user, { monthly_cap_cents: 2_000 })).status).toBe(200);
      for (let round = 1; round <= 3; round++) {
        await spend(user, '10'); // 27 → 17 each round; a top-up brings it back to 27
        await settle();
        await until(async () => expect((await settings(user)).body.recent).toHaveLength(round));
      }
      expect(chargesOf(user)).toHaveLength(2);
      const view = await settings(user);
      expect(view.body.recent.map((t: any) => t.status).sort()).toEqual(['capped', 'paid', 'paid']);
      expect(view.body.spent_this_month_cents).toBe(2_000);
      expect(view.body.enabled).toBe(true);
      expect(await world.balance(user)).toBe(17_000_000);
      // A cap below one package is refused and changes nothing.
      const refused = await turnOn(user, { monthly_cap_cents: 999 });
      expect(refused.status).toBe(400);
      expect((await settings(user)).body.monthly_cap_cents).toBe(2_000);
    });

    it('a declined charge turns auto top-up off, says why, and charges no more', async () => {
      const { user, authorizationCode } = await cardHolder();
      world.paystack.declineCharges(authorizationCode, 'Insufficient Funds');
      expect((await turnOn(user)).status).toBe(200);
      await spend(user, '8');
      await until(async () => expect((await settings(user)).body.enabled).toBe(false));
      const view = await settings(user);
      expect(view.body.disabled_reason).toContain('declined (Insufficient Funds)');
      expect(view.body.recent).toMatchObject([{ status: 'declined', detail: 'Insufficient Funds' }]);
      expect(chargesOf(user).map((c) => c.status)).toEqual(['failed']);
      expect(await world.balance(user)).toBe(19_000_000);
      const orders = await world.service.call('GET', '/api/payments', { token: user.token });
      expect(orders.body.payments.find((p: any) => p.status === 'failed')?.failure_reason).toContain('declined');
      await spend(user, '10');
      await settle();
      expect(chargesOf(user)).toHaveLength(1);
    });

    it('bad settings are refused with 4xx and change nothing', async () => {
      const { user } = await cardHolder();
      expect((await turnOn(user)).status).toBe(200);
      const before = (await settings(user)).body;
      for (const [body, code] of [
        [{ threshold: 'lots' }, 'invalid_amount'],
        [{ threshold: '0' }, 'invalid_amount'],
        [{ threshold: '-2' }, 'invalid_amount'],
        [{ threshold: '0.0000001' }, 'invalid_amount'],
        [{ package_id: 'usd_7' }, 'unknown_package'],
        [{ monthly_cap_cents: 0 }, 'invalid_input'],
        [{ monthly_cap_cents: 12.5 }, 'invalid_input'],
        [{ enabled: 'yes' }, 'invalid_input'],
        [{ authorization_code: 'AUTH_x' }, 'invalid_input'],
      ] as const) {
        const refused = await turnOn(user, body);
        expect(refused.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
        expect(refused.status).toBeLessThan(500);
        expect(refused.body.error.code, JSON.stringify(body)).toBe(code);
      }
      expect((await settings(user)).body).toEqual(before);
    });

    it('a removed card is never charged, and auto top-up cannot be turned on without one', async () => {
      const { user } = await cardHolder();
      expect((await turnOn(user)).status).toBe(200);
      const removed = await world.service.call('DELETE', '/api/auto-topup/card', { token: user.token });
      expect(removed.status).toBe(200);
      expect(removed.body).toMatchObject({ card: null, enabled: false });
      await spend(user, '20');
      await settle();
      expect(chargesOf(user)).toHaveLength(0);
      const refused = await turnOn(user);
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('no_saved_card');
      const other = await world.signUp('stranger');
      const anonymous = await world.service.call('GET', '/api/auto-topup');
      expect(anonymous.status).toBe(401);
      expect((await settings(other)).body).toMatchObject({ enabled: false, card: null, recent: [] });
    });
  });
}
