import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRole } from '../../../server/accounts/admin-users.ts';
import { verifyLedger } from '../../../server/ledger/verify-ledger.ts';
import { ENGINES } from '../../support/engines.ts';
import { MINUTE } from '../../support/fake-clock.ts';
import { startTestService, type TestService } from '../../support/test-service.ts';
import { documentedOperations, PROTECTED, PUBLIC, type Context } from './protected-routes.ts';

const PASSWORD = 'correct horse battery';

/** A table's rows as text, to search for secrets in. */
const dump = (rows: unknown[]) => JSON.stringify(rows, (_key, v) => (typeof v === 'bigint' ? v.toString() : v));
const routeKey = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
const concrete = (path: string, ctx: Context) => path.replace(':id', ctx.paymentId);
const randomToken = (userHex = randomBytes(16).toString('hex')) =>
  `atl_${userHex}_${randomBytes(32).toString('base64url')}`;

async function moneySnapshot(service: TestService) {
  const { rows } = await service.db.query(
    `SELECT (SELECT count(*)::int FROM ledger_entries) AS entries,
            (SELECT count(*)::int FROM payments) AS payments,
            (SELECT count(*)::int FROM payments WHERE status = 'paid') AS paid,
            (SELECT count(*)::int FROM proxy_sessions) AS sessions,
            (SELECT count(*)::int FROM proxy_sessions WHERE status = 'active') AS active,
            (SELECT COALESCE(sum(balance), 0)::text FROM wallets) AS balances,
            (SELECT count(*)::int FROM users WHERE role = 'admin') AS admins`,
  );
  return rows[0];
}

for (const engine of ENGINES) {
  describe(`API security: tokens, ownership and roles [${engine}]`, () => {
    let service: TestService;
    /** Every token the service handed out in this suite, to look for in the database. */
    const issued: string[] = [];
    const gatewayPasswords: string[] = [];

    beforeAll(async () => {
      // Many sign-ups from one address: lift the login limit here (its own suite tests it).
      service = await startTestService(engine, { LOGIN_RATE_LIMIT: '1000' });
    });
    afterAll(async () => service?.stop());

    async function signUp(label: string) {
      const email = `${label}-${randomUUID().slice(0, 8)}@example.com`;
      const { status, body } = await service.call('POST', '/api/auth/register', {
        body: { email, password: PASSWORD },
      });
      expect(status).toBe(201);
      issued.push(body.token);
      return { email, token: body.token as string, userId: body.user.id as string };
    }

    async function signIn(email: string) {
      const { status, body } = await service.call('POST', '/api/auth/login', { body: { email, password: PASSWORD } });
      expect(status).toBe(200);
      issued.push(body.token);
      return body.token as string;
    }

    /** Starts a purchase of `dollars` and, unless told otherwise, pays it on the sandbox checkout. */
    async function buy(token: string, dollars: number, pay = true) {
      const started = await service.call('POST', '/api/credits/purchase', { token, body: { amount: dollars } });
      expect(started.status).toBe(201);
      if (pay) {
        const paid = await service.call('POST', `${new URL(started.body.checkout_url).pathname}/pay`);
        expect(paid.status).toBe(200);
      }
      return started.body.payment_id as string;
    }

    async function connect(token: string, targeting: Record<string, string>) {
      const { status, body } = await service.call('POST', '/api/proxy/connect', { token, body: targeting });
      expect(status).toBe(201);
      gatewayPasswords.push(body.gateway.password);
      return body.session.id as string;
    }

    it('the route table covers every documented route except the public ones', async () => {
      const { status, body: doc } = await service.call('GET', '/api/openapi.json');
      expect(status).toBe(200);
      const documented = documentedOperations(doc);
      const keys = documented.map((o) => o.key);
      const table = PROTECTED.map(routeKey);

      // A new documented route must be added to the table (or, deliberately, to PUBLIC).
      expect(keys.filter((k) => !PUBLIC.includes(k) && !table.includes(k))).toEqual([]);
      // Every documented route that requires a credential is in the table or known to be public.
      expect(documented.filter((o) => o.secured && !table.includes(o.key) && !PUBLIC.includes(o.key))).toEqual([]);
      // And the table names nothing that does not exist.
      expect(table.filter((k) => !keys.includes(k))).toEqual([]);
      expect(documented.filter((o) => table.includes(o.key) && !o.secured)).toEqual([]);
    });

    it('the OpenAPI document marks exactly the table as needing a token (public routes say security: [])', async () => {
      const { body: doc } = await service.call('GET', '/api/openapi.json');
      const secured = documentedOperations(doc)
        .filter((o) => o.secured)
        .map((o) => o.key)
        .sort();
      // Health, register and login need no token; a client generated from the document must not send one.
      expect(secured, 'operations the OpenAPI document says need a bearer token').toEqual(
        PROTECTED.map(routeKey).sort(),
      );
    });

    it('every protected route answers 401 unauthorized to a missing, malformed, unknown or revoked token', async () => {
      const owner = await signUp('owner');
      const paymentId = await buy(owner.token, 5);
      const sessionId = await connect(owner.token, { country: 'us' });
      const ctx: Context = { paymentId, sessionId, userId: owner.userId };

      // A revoked token: used once (so the authenticator has cached it), then signed out.
      const leaving = await signUp('leaving');
      const second = await signIn(leaving.email);
      expect((await service.call('GET', '/api/auth/me', { token: leaving.token })).status).toBe(200);
      const out = await service.call('POST', '/api/auth/logout', { token: leaving.token });
      expect(out).toEqual({ status: 200, body: { signed_out: true } });
      // Signing out revokes that token only.
      expect((await service.call('GET', '/api/auth/me', { token: second })).body.email).toBe(leaving.email);

      const last = owner.token.at(-1) === 'A' ? 'B' : 'A';
      const credentials: [string, Record<string, string>][] = [
        ['no token', {}],
        ['an empty bearer', { authorization: 'Bearer ' }],
        ['a malformed token', { authorization: 'Bearer not-a-token' }],
        ['a valid token without the Bearer scheme', { authorization: owner.token }],
        [
          'Basic credentials',
          { authorization: `Basic ${Buffer.from(`${owner.email}:${PASSWORD}`).toString('base64')}` },
        ],
        ['a valid token with a character appended', { authorization: `Bearer ${owner.token}x` }],
        [
          'a valid token with its last character changed',
          { authorization: `Bearer ${owner.token.slice(0, -1)}${last}` },
        ],
        ['a well-formed unknown token', { authorization: `Bearer ${randomToken()}` }],
        [
          "a forged secret on a real user's id",
          { authorization: `Bearer ${randomToken(owner.userId.replaceAll('-', ''))}` },
        ],
        ['a very long token', { authorization: `Bearer ${'a'.repeat(4000)}` }],
        ['a revoked token', { authorization: `Bearer ${leaving.token}` }],
      ];

      const before = await moneySnapshot(service);
      const wrong: string[] = [];
      for (const route of PROTECTED) {
        for (const [label, headers] of credentials) {
          const { status, body } = await service.call(route.method, concrete(route.path, ctx), {
            headers,
            ...(route.body && { body: route.body(ctx) }),
          });
          const ok = status === 401 && body?.error?.code === 'unauthorized' && typeof body?.error?.message === 'string';
          if (!ok) wrong.push(`${routeKey(route)} with ${label} → ${status} ${JSON.stringify(body).slice(0, 120)}`);
        }
      }
      expect(wrong).toEqual([]);
      expect(await moneySnapshot(service)).toEqual(before);

      // The same calls with the good token do get through (so the 401s above are about the token).
      expect((await service.call('GET', `/api/payments/${paymentId}`, { token: owner.token })).status).toBe(200);
      expect(
        (await service.call('POST', '/api/proxy/heartbeat', { token: owner.token, body: { session_id: sessionId } }))
          .status,
      ).toBe(200);
      expect(
        (await service.call('POST', '/api/proxy/disconnect', { token: owner.token, body: { session_id: sessionId } }))
          .status,
      ).toBe(200);
      expect(await verifyLedger(service.db)).toEqual([]);
    });

    it("user A cannot see or act on user B's payments, sessions or wallet", async () => {
      const a = await signUp('alice');
      const b = await signUp('bob');
      const bPaid = await buy(b.token, 25);
      const bPending = await buy(b.token, 10, false);
      const bSession = await connect(b.token, { country: 'us', city: 'New York' });
      service.clock.advance(MINUTE);
      expect(
        (await service.call('POST', '/api/proxy/heartbeat', { token: b.token, body: { session_id: bSession } })).status,
      ).toBe(200);
      await service.worker.tick();
      const aPaid = await buy(a.token, 5);

      async function bState() {
        const q = async (sql: string) => (await service.db.query(sql, [b.userId])).rows;
        return {
          wallet: await q('SELECT balance, total_purchased, total_spent FROM wallets WHERE user_id = $1'),
          entries: await q('SELECT id, kind, amount, balance_after FROM ledger_entries WHERE user_id = $1 ORDER BY id'),
          payments: await q('SELECT id, status, paid_at FROM payments WHERE user_id = $1 ORDER BY id'),
          sessions: await q(
            `SELECT id, status, ended_at, last_heartbeat_at, charged_total FROM proxy_sessions WHERE user_id = $1`,
          ),
        };
      }
      const before = await bState();
      // Purchase and bonus; the live session's usage is posted to the ledger once an hour, its balance moved.
      expect(before.entries.length).toBeGreaterThanOrEqual(2);
      expect(before.sessions[0]!.charged_total).toBeGreaterThan(0n);
      expect(before.sessions).toMatchObject([{ status: 'active' }]);
      service.clock.advance(MINUTE); // so a heartbeat A managed to send would move B's last_heartbeat_at

      // Another user's payment does not exist, as far as A can tell: the same answer as a random id.
      const unknownPayment = await service.call('GET', `/api/payments/${randomUUID()}`, { token: a.token });
      expect(unknownPayment.status).toBe(404);
      expect(unknownPayment.body.error.code).toBe('unknown_payment');
      for (const id of [bPaid, bPending]) {
        expect(await service.call('GET', `/api/payments/${id}`, { token: a.token })).toEqual(unknownPayment);
      }
      expect((await service.call('GET', `/api/payments/${aPaid}`, { token: a.token })).body.payment_id).toBe(aPaid);
      expect((await service.call('GET', `/api/payments/${bPaid}`, { token: b.token })).body.status).toBe('paid');

      // B's session cannot be kept alive or ended by A: the same answer as a session that does not exist.
      for (const path of ['/api/proxy/heartbeat', '/api/proxy/disconnect']) {
        const unknownSession = await service.call('POST', path, { token: a.token, body: { session_id: randomUUID() } });
        expect(unknownSession.status).toBe(404);
        expect(unknownSession.body.error.code).toBe('unknown_session');
        expect(await service.call('POST', path, { token: a.token, body: { session_id: bSession } })).toEqual(
          unknownSession,
        );
      }

      // A's lists hold A's things only.
      const bEntryIds = before.entries.map((e: any) => String(e.id));
      const txs = await service.call('GET', '/api/credits/transactions?limit=200', { token: a.token });
      expect(txs.status).toBe(200);
      expect(txs.body.transactions).toHaveLength(1);
      expect(txs.body.transactions[0]).toMatchObject({ kind: 'purchase', amount: 5, payment_id: aPaid });
      expect(txs.body.transactions.filter((t: any) => bEntryIds.includes(t.id))).toEqual([]);
      // A cursor past B's newest entry still pages through A's entries only.
      const past = String(Math.max(...bEntryIds.map(Number)) + 1);
      const paged = await service.call('GET', `/api/credits/transactions?cursor=${past}`, { token: a.token });
      expect(paged.body.transactions.every((t: any) => t.payment_id === aPaid)).toBe(true);
      expect((await service.call('GET', '/api/credits/transactions?kind=usage', { token: a.token })).body).toEqual({
        transactions: [],
        next_cursor: null,
      });
      expect((await service.call('GET', '/api/proxy/sessions', { token: a.token })).body).toEqual({ sessions: [] });
      expect((await service.call('GET', '/api/proxy/sessions?status=active', { token: a.token })).body).toEqual({
        sessions: [],
      });
      const balance = await service.call('GET', '/api/credits/balance', { token: a.token });
      expect(balance.body).toMatchObject({
        balance: 5,
        total_purchased: 5,
        total_spent: 0,
        active_sessions: 0,
        burn_rate_per_hour: 0,
        seconds_remaining_at_current_rate: null,
      });
      expect((await service.call('GET', '/api/credits/features', { token: a.token })).body.balance).toBe(5);

      // B sees B's own things, and nothing of B's changed.
      const bSessions = await service.call('GET', '/api/proxy/sessions', { token: b.token });
      expect(bSessions.body.sessions.map((s: any) => [s.id, s.status])).toEqual([[bSession, 'active']]);
      expect(await bState()).toEqual(before);
      expect(await verifyLedger(service.db)).toEqual([]);
    });

    it('admin routes are forbidden to users; an admin adjustment records who and why', async () => {
      const target = await signUp('target');
      await buy(target.token, 5);
      const operator = await signUp('operator');

      const body = { email: target.email, amount: '100', reason: 'a user trying to grant themselves credits' };
      const before = await moneySnapshot(service);
      for (const [method, path, payload] of [
        ['POST', '/api/admin/adjustments', body],
        ['POST', '/api/admin/adjustments', { ...body, email: operator.email }],
        ['GET', '/api/admin/users', undefined],
        ['GET', '/api/admin/users?limit=5', undefined],
      ] as const) {
        const refused = await service.call(method, path, { token: operator.token, body: payload });
        expect(refused.status, `${method} ${path}`).toBe(403);
        expect(refused.body).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
      }
      expect(await moneySnapshot(service)).toEqual(before);

      await setRole(service.db, operator.userId, 'admin');
      const admin = await signIn(operator.email);
      const reason = 'goodwill credit for outage #42';
      const granted = await service.call('POST', '/api/admin/adjustments', {
        token: admin,
        body: { email: target.email, amount: '2.5', reason, idempotency_key: 'outage-42' },
      });
      expect(granted.status).toBe(201);
      expect(granted.body).toMatchObject({
        transaction: { kind: 'adjustment', amount: 2.5, amount_micro: 2_500_000, balance_after: 7.5 },
        balance: 7.5,
      });
      const entryId = granted.body.transaction.id;

      // Who and why are in the ledger entry itself.
      const { rows } = await service.db.query<{ user_id: string; metadata: any; description: string }>(
        'SELECT user_id::text, metadata, description FROM ledger_entries WHERE id = $1',
        [entryId],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]!.user_id).toBe(target.userId);
      expect(rows[0]!.metadata).toMatchObject({ admin_id: operator.userId, by: operator.email, reason });
      expect(rows[0]!.description).toContain(reason);

      // The user sees it in their transactions.
      const txs = await service.call('GET', '/api/credits/transactions?kind=adjustment', { token: target.token });
      expect(txs.body.transactions).toEqual([
        expect.objectContaining({
          id: entryId,
          kind: 'adjustment',
          amount: 2.5,
          description: expect.stringContaining(reason),
        }),
      ]);

      // The same request again is a replay, not a second grant.
      const again = await service.call('POST', '/api/admin/adjustments', {
        token: admin,
        body: { email: target.email, amount: '2.5', reason, idempotency_key: 'outage-42' },
      });
      expect(again.status).toBe(201);
      expect(again.body.transaction.id).toBe(entryId);
      const taken = await service.call('POST', '/api/admin/adjustments', {
        token: admin,
        body: { user_id: target.userId, amount: '-0.5', reason: 'correction of the outage credit' },
      });
      expect(taken.status).toBe(201);
      expect((await service.call('GET', '/api/credits/balance', { token: target.token })).body.balance).toBe(7);

      const users = await service.call('GET', `/api/admin/users?email=${encodeURIComponent(target.email)}`, {
        token: admin,
      });
      expect(users.status).toBe(200);
      expect(users.body.users).toEqual([
        expect.objectContaining({ id: target.userId, email: target.email, role: 'user', balance: 7 }),
      ]);
      const everyone = await service.call('GET', '/api/admin/users', { token: admin });
      expect(everyone.body.users.find((u: any) => u.id === operator.userId)?.role).toBe('admin');
      expect(await verifyLedger(service.db)).toEqual([]);
    });

    it('tokens, passwords and gateway passwords are stored only as hashes', async () => {
      const extra = await signUp('hashed');
      await signIn(extra.email);
      expect(issued.length).toBeGreaterThanOrEqual(8);
      expect(gatewayPasswords.length).toBeGreaterThanOrEqual(2);

      const { rows: tokens } = await service.db.query<Record<string, unknown>>('SELECT * FROM auth_tokens');
      expect(tokens).toHaveLength(issued.length);
      const tokenTable = dump(tokens);
      for (const token of issued) {
        const secret = /^atl_[0-9a-f]{32}_(.+)$/.exec(token)?.[1] ?? '';
        expect(secret.length).toBeGreaterThanOrEqual(40);
        expect(tokenTable.includes(token), 'a raw token in auth_tokens').toBe(false);
        expect(tokenTable.includes(secret), "a token's secret in auth_tokens").toBe(false);
      }
      // Each token does resolve to its stored row, so the rows above are the tokens' (hashed) records.
      expect((await service.call('GET', '/api/auth/me', { token: issued.at(-1)! })).status).toBe(200);

      const { rows: users } = await service.db.query('SELECT * FROM users');
      expect(users.length).toBeGreaterThan(0);
      expect(dump(users).includes(PASSWORD), 'a raw password in users').toBe(false);

      const { rows: sessions } = await service.db.query('SELECT * FROM proxy_sessions');
      const sessionTable = dump(sessions);
      for (const password of gatewayPasswords) {
        expect(sessionTable.includes(password), 'a raw gateway password in proxy_sessions').toBe(false);
      }
    });
  });
}
