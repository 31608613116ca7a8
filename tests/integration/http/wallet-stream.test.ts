import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BillingClient } from '../../../electron/core/billing/billing-client.ts';
import type { WalletEvent } from '../../../shared/api/wallet-stream.ts';
import { ENGINES } from '../../support/engines.ts';
import { startTestService, type TestService } from '../../support/test-service.ts';

const PASSWORD = 'correct horse battery staple';

for (const engine of ENGINES) {
  describe(`GET /api/wallet/stream pushes the wallet on every change [${engine}]`, () => {
    let service: TestService;
    beforeAll(async () => {
      service = await startTestService(engine);
    });
    afterAll(async () => service?.stop());

    async function signUp(label: string) {
      const email = `${label}-${Math.random().toString(36).slice(2, 8)}@example.com`;
      const { body } = await service.call('POST', '/api/auth/register', { body: { email, password: PASSWORD } });
      return body.token as string;
    }

    /** The core's own stream client, recording each event. */
    function listen(token: string) {
      const events: WalletEvent[] = [];
      const ends: string[] = [];
      const client = new BillingClient({ baseUrl: service.url, token: () => token });
      const handle = client.walletStream(
        (event) => events.push(event),
        (reason) => ends.push(reason),
      );
      const next = (match: (event: WalletEvent) => boolean) =>
        expect.poll(() => events.some(match), { timeout: 5000, interval: 20 }).toBe(true);
      return { events, ends, handle, next };
    }

    it('sends the wallet at once, then a purchase, a session and its end as they happen; nothing of other users', async () => {
      const token = await signUp('streamer');
      const other = await signUp('other');
      const stream = listen(token);
      await stream.next((e) => e.balance.balance_micro === 0);
      expect(stream.events[0]).toMatchObject({ active_sessions: [], recent_transactions: [] });

      const payment = (
        await service.call('POST', '/api/credits/purchase', { token, body: { amount: 25, method: 'sandbox' } })
      ).body;
      await service.call('POST', `${new URL(payment.checkout_url).pathname}/pay`, {
        raw: '',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      await stream.next((e) => e.balance.balance_micro === 27_000_000 && e.features.can_use_isp);
      expect(stream.events.at(-1)!.recent_transactions.map((t) => t.description)).toEqual([
        'Bonus: $25 package',
        'Purchase: $25 package',
      ]);

      const seen = stream.events.length;
      await service.call('POST', '/api/credits/purchase', { token: other, body: { amount: 5, method: 'sandbox' } });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(stream.events).toHaveLength(seen);

      const connected = await service.call('POST', '/api/proxy/connect', {
        token,
        body: { country: 'us', city: 'austin' },
      });
      expect(connected.status).toBe(201);
      await stream.next((e) => e.active_sessions.length === 1 && e.balance.burn_rate_per_hour_micro === 750_000);
      expect(stream.events.at(-1)!.active_sessions[0]!.targeting).toEqual({
        country: 'us',
        state: 'Texas',
        city: 'Austin',
      });

      await service.call('POST', '/api/proxy/disconnect', { token, body: { session_id: connected.body.session.id } });
      await stream.next((e) => e.active_sessions.length === 0 && e.balance.active_sessions === 0);
      stream.handle.close();
      expect(stream.ends).toEqual([]);
    });

    it('a bad token is refused with 401 and the client hears the end', async () => {
      const stream = listen('not-a-token');
      await expect.poll(() => stream.ends, { timeout: 5000 }).toEqual(['HTTP 401']);
      expect(stream.events).toEqual([]);
    });
  });
}
