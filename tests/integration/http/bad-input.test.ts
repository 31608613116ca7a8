import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRole } from '../../../server/accounts/admin-users.ts';
import { verifyLedger } from '../../../server/ledger/verify-ledger.ts';
import { errorBodySchema } from '../../../shared/api/errors.ts';
import { errorStatus } from '../../../shared/errors.ts';
import { ENGINES } from '../../support/engines.ts';
import { startTestService, type TestService } from '../../support/test-service.ts';
import { BODY_ROUTES, CASES, PASSWORD, type BadCase, type Ctx } from './bad-input-cases.ts';
import { snapshot } from './state-snapshot.ts';

const label = (c: BadCase) => {
  const short = c.path.length > 60 ? `${c.path.slice(0, 57)}...` : c.path;
  return `${c.method} ${short} ${c.name} → ${errorStatus[c.code]} ${c.code}`;
};

for (const engine of ENGINES) {
  describe(`bad input over HTTP: 4xx with a code, never 5xx, nothing changes [${engine}]`, () => {
    let service: TestService;
    let ctx: Ctx;
    let before: unknown;

    beforeAll(async () => {
      // Many attempts at register, login, purchase and connect in a minute: lift the limits
      // (tested in sign-in.test.ts and rate-limits.test.ts).
      const lifted = '100000';
      service = await startTestService(engine, {
        LOGIN_RATE_LIMIT: lifted,
        PURCHASE_RATE_LIMIT: lifted,
        CONNECT_RATE_LIMIT: lifted,
      });
      const signUp = async (email: string) => {
        const { status, body } = await service.call('POST', '/api/auth/register', {
          body: { email, password: PASSWORD },
        });
        expect(status).toBe(201);
        return body as { token: string; user: { id: string } };
      };
      const user = await signUp('bad-input@example.com');
      const token = user.token;
      const purchase = await service.call('POST', '/api/credits/purchase', { token, body: { amount: 25 } });
      expect(purchase.status).toBe(201);
      expect((await service.call('POST', `${new URL(purchase.body.checkout_url).pathname}/pay`)).status).toBe(200);
      const live = await service.call('POST', '/api/proxy/connect', { token, body: { country: 'us' } });
      const ended = await service.call('POST', '/api/proxy/connect', { token, body: { country: 'gb' } });
      expect([live.status, ended.status]).toEqual([201, 201]);
      const disconnect = { token, body: { session_id: ended.body.session.id } };
      expect((await service.call('POST', '/api/proxy/disconnect', disconnect)).status).toBe(200);

      const poor = await signUp('no-credits@example.com');
      const operator = await signUp('operator@example.com');
      await setRole(service.db, operator.user.id, 'admin');
      const admin = await service.call('POST', '/api/auth/login', {
        body: { email: 'operator@example.com', password: PASSWORD },
      });
      expect(admin.status).toBe(200);
      const once = await service.call('POST', '/api/admin/adjustments', {
        token: admin.body.token,
        body: { user_id: user.user.id, amount: '1', reason: 'key used once', idempotency_key: 'granted-once' },
      });
      expect(once.status).toBe(201);

      ctx = {
        tokens: { user: token, admin: admin.body.token, poor: poor.token },
        userId: user.user.id,
        email: 'bad-input@example.com',
        sessionId: live.body.session.id,
        endedId: ended.body.session.id,
        paymentId: purchase.body.payment_id,
      };
      before = await snapshot(service);
      expect(before).toMatchObject({ payments: 1, proxy_sessions: 2, balances: '28000000' });
    });
    afterAll(async () => service?.stop());

    it('the table covers every route that takes input', () => {
      const covered = (prefix: string) => CASES.filter((c) => c.path.startsWith(prefix)).length;
      const inputs = [
        ...BODY_ROUTES.map((r) => r.path),
        '/api/credits/transactions?',
        '/api/proxy/sessions?',
        '/api/admin/users?',
        '/api/payments/',
        '/sandbox/checkout/',
      ];
      expect(inputs.filter((prefix) => covered(prefix) < 5)).toEqual([]);
      expect(CASES.length).toBeGreaterThan(200);
    });

    for (const c of CASES) {
      it(label(c), async () => {
        const as = c.as ?? 'user';
        const body = typeof c.body === 'function' ? (c.body as (ctx: Ctx) => unknown)(ctx) : c.body;
        const response = await service.call(c.method, c.path, {
          ...(as !== 'none' && { token: ctx.tokens[as] }),
          ...(body !== undefined && { body }),
          ...(c.raw !== undefined && { raw: c.raw }),
          ...(c.headers && { headers: c.headers }),
        });
        const seen = JSON.stringify(response.body).slice(0, 300);
        expect(response.status, `a 4xx, not ${response.status}: ${seen}`).toBeGreaterThanOrEqual(400);
        expect(response.status, `a 4xx, not ${response.status}: ${seen}`).toBeLessThan(500);
        expect(errorBodySchema.safeParse(response.body).success, `an error body: ${seen}`).toBe(true);
        expect(response.body.error.message, seen).toEqual(expect.stringMatching(/\S/));
        expect({ status: response.status, code: response.body.error.code }, seen).toEqual({
          status: errorStatus[c.code],
          code: c.code,
        });
      });
    }

    it('after the whole table: the same rows, the same balances, and the ledger verifies', async () => {
      expect(await snapshot(service)).toEqual(before);
      expect(await verifyLedger(service.db)).toEqual([]);
      // The tokens still work and the live session is still live.
      const sessions = await service.call('GET', '/api/proxy/sessions?status=active', { token: ctx.tokens.user });
      expect(sessions.body.sessions.map((s: any) => s.id)).toEqual([ctx.sessionId]);
      const balance = await service.call('GET', '/api/credits/balance', { token: ctx.tokens.user });
      expect(balance.body.balance).toBe(28);
    });

    it('an emoji, escaped as a surrogate pair, is text like any other where a lone surrogate is refused', async () => {
      const adjusted = await service.call('POST', '/api/admin/adjustments', {
        token: ctx.tokens.admin,
        raw: JSON.stringify({ user_id: ctx.userId, amount: '1', reason: 'goodwill, with a party: ' }).replace(
          /"}$/,
          '\\ud83c\\udf89"}',
        ),
        headers: { 'content-type': 'application/json' },
      });
      expect(adjusted.status, JSON.stringify(adjusted.body)).toBe(201);
      const { rows } = await service.db.query<{ reason: string }>(
        `SELECT metadata->>'reason' AS reason FROM ledger_entries WHERE kind = 'adjustment' ORDER BY id DESC LIMIT 1`,
      );
      expect(rows[0]!.reason).toBe('goodwill, with a party: 🎉');
    });

    it("the sandbox checkout page's own Pay form (form-encoded, empty body) is accepted", async () => {
      // A browser submits <form method="post"> as application/x-www-form-urlencoded, even with no fields.
      const started = await service.call('POST', '/api/credits/purchase', {
        token: ctx.tokens.user,
        body: { package_id: 'usd_5' },
      });
      const page = new URL(started.body.checkout_url).pathname;
      const html = (await service.call('GET', page)).body as string;
      expect(html).toContain(`action="${page}/pay"`);
      const paid = await service.call('POST', `${page}/pay`, {
        raw: '',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(paid.status, `the Pay button as a browser sends it: ${JSON.stringify(paid.body).slice(0, 200)}`).toBe(200);
      expect(
        (await service.call('GET', `/api/payments/${started.body.payment_id}`, { token: ctx.tokens.user })).body.status,
      ).toBe('paid');
    });
  });
}
