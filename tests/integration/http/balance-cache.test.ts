import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.ts';
import { adjustBalance } from '../../../server/ledger/admin-adjustment.ts';
import { verifyLedger } from '../../../server/ledger/verify-ledger.ts';
import { startService, type Service } from '../../../server/service.ts';
import { ENGINES } from '../../support/engines.ts';
import { MINUTE } from '../../support/fake-clock.ts';
import { startTestService, type TestService } from '../../support/test-service.ts';

// The balance route serves the wallet summary from a cache (server/ledger/wallet-summary-cache.ts).
// Whatever changes a wallet must show in the very next balance read of the same
// process, and within the cache's 1 s bound in another process on the same database.
const STALENESS_BOUND_MS = 1_000;

type Caller = Pick<TestService, 'call'>;

async function signUp(service: Caller, email: string): Promise<{ token: string; userId: string }> {
  const { body } = await service.call('POST', '/api/auth/register', {
    body: { email, password: 'correct horse battery' },
  });
  const me = await service.call('GET', '/api/auth/me', { token: body.token });
  return { token: body.token as string, userId: me.body.id as string };
}

async function balanceMicro(service: Caller, token: string): Promise<number> {
  const { status, body } = await service.call('GET', '/api/credits/balance', { token });
  expect(status).toBe(200);
  return body.balance_micro as number;
}

/** Polls the same balance several times, so a cache holds it before the change under test. */
async function warm(service: Caller, token: string): Promise<number> {
  const first = await balanceMicro(service, token);
  for (let i = 0; i < 3; i++) expect(await balanceMicro(service, token)).toBe(first);
  return first;
}

async function buy25(service: Caller, token: string): Promise<void> {
  const purchase = await service.call('POST', '/api/credits/purchase', {
    token,
    body: { amount: 25, method: 'sandbox' },
  });
  expect(purchase.status).toBe(201);
  const paid = await service.call('POST', `${new URL(purchase.body.checkout_url).pathname}/pay`);
  expect(paid.status).toBe(200);
}

/** Polls until the balance is `expected`; resolves with how long that took, or fails past `withinMs`. */
async function seenWithin(service: Caller, token: string, expected: number, withinMs: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    const elapsed = performance.now() - started;
    const seen = await balanceMicro(service, token);
    if (seen === expected) return elapsed;
    if (elapsed > withinMs) throw new Error(`still ${seen} µcr after ${Math.round(elapsed)} ms, expected ${expected}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

for (const engine of ENGINES) {
  describe(`the balance route's cache, in one process [${engine}]`, () => {
    let service: TestService;
    beforeAll(async () => {
      service = await startTestService(engine);
    });
    afterAll(async () => service?.stop());

    it('shows a purchase, an adjustment, a session start, a metering charge and a disconnect at once', async () => {
      const { token, userId } = await signUp(service, 'cached@example.com');
      expect(await warm(service, token)).toBe(0);

      await buy25(service, token);
      expect(await balanceMicro(service, token)).toBe(27_000_000);

      await warm(service, token);
      await adjustBalance(service.db, {
        userId,
        amount: -1_000_000n,
        reason: 'cache test',
        by: { adminId: null, name: 't' },
      });
      expect(await balanceMicro(service, token)).toBe(26_000_000);

      await warm(service, token);
      const connect = await service.call('POST', '/api/proxy/connect', {
        token,
        body: { country: 'US', city: 'new york' },
      });
      expect(connect.status).toBe(201);
      const live = await service.call('GET', '/api/credits/balance', { token });
      expect(live.body).toMatchObject({ active_sessions: 1, burn_rate_per_hour_micro: 750_000 });

      await warm(service, token);
      service.clock.advance(MINUTE);
      const sessionId = connect.body.session.id as string;
      expect(
        (await service.call('POST', '/api/proxy/heartbeat', { token, body: { session_id: sessionId } })).status,
      ).toBe(200);
      await service.worker.tick();
      expect(await balanceMicro(service, token)).toBe(26_000_000 - 12_500);

      await warm(service, token);
      service.clock.advance(MINUTE / 2);
      const ended = await service.call('POST', '/api/proxy/disconnect', { token, body: { session_id: sessionId } });
      expect(ended.status).toBe(200);
      const after = await service.call('GET', '/api/credits/balance', { token });
      expect(after.body).toMatchObject({ active_sessions: 0, balance_micro: 26_000_000 - 18_750 });

      expect(await verifyLedger(service.db)).toEqual([]);
    });

    it('serves polls from the cache: a write nobody announced shows only after the bound', async () => {
      // Proves the cache is really in the path (else the test above would pass without it),
      // and that even a lost notification leaves a balance stale for at most the bound.
      const { token, userId } = await signUp(service, 'unannounced@example.com');
      await warm(service, token);
      await service.db.query('UPDATE wallets SET total_spent = total_spent + 1 WHERE user_id = $1', [userId]);
      const cached = await service.call('GET', '/api/credits/balance', { token });
      expect(cached.body.total_spent_micro).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, STALENESS_BOUND_MS + 50));
      const fresh = await service.call('GET', '/api/credits/balance', { token });
      expect(fresh.body.total_spent_micro).toBe(1);
      await service.db.query('UPDATE wallets SET total_spent = total_spent - 1 WHERE user_id = $1', [userId]);
    });
  });
}

describe('the balance route’s cache, across two service instances on one PostgreSQL database', () => {
  let writer: TestService;
  let reader: Service & Caller;
  beforeAll(async () => {
    writer = await startTestService('postgres');
    const service = await startService(
      { ...loadConfig({ PORT: '0', GATEWAY_PORT: '0', LOG_LEVEL: 'silent' }), databaseUrl: writer.config.databaseUrl },
      { clock: writer.clock, meter: false },
    );
    reader = {
      ...service,
      async call(method, path, options = {}) {
        const headers: Record<string, string> = {};
        if (options.token) headers.authorization = `Bearer ${options.token}`;
        const response = await fetch(service.url + path, { method, headers });
        return { status: response.status, body: await response.json() };
      },
    };
  });
  afterAll(async () => {
    await reader?.close();
    await writer?.stop();
  });

  it('shows the other instance’s purchase, adjustment and charge within the bound', async () => {
    const { token, userId } = await signUp(writer, 'two@example.com');
    expect(await warm(reader, token)).toBe(0);

    await buy25(writer, token);
    const purchaseMs = await seenWithin(reader, token, 27_000_000, STALENESS_BOUND_MS);

    await warm(reader, token);
    await adjustBalance(writer.db, {
      userId,
      amount: 1_000_000n,
      reason: 'cache test',
      by: { adminId: null, name: 't' },
    });
    const adjustmentMs = await seenWithin(reader, token, 28_000_000, STALENESS_BOUND_MS);

    const connect = await writer.call('POST', '/api/proxy/connect', { token, body: { country: 'US' } });
    expect(connect.status).toBe(201);
    await warm(reader, token);
    writer.clock.advance(MINUTE);
    const session_id = connect.body.session.id as string;
    expect((await writer.call('POST', '/api/proxy/heartbeat', { token, body: { session_id } })).status).toBe(200);
    await writer.worker.tick();
    const chargeMs = await seenWithin(reader, token, 28_000_000 - 8_333, STALENESS_BOUND_MS);

    // NOTIFY brings them well inside the bound; the bound is the fallback.
    expect(Math.max(purchaseMs, adjustmentMs, chargeMs)).toBeLessThan(STALENESS_BOUND_MS);
    expect(await verifyLedger(writer.db)).toEqual([]);
  });
});
