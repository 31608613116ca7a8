import { once } from 'node:events';
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../../server/ledger/verify-ledger.ts';
import { errorBodySchema } from '../../../shared/api/errors.ts';
import { errorStatus } from '../../../shared/errors.ts';
import { ENGINES } from '../../support/engines.ts';
import { rawHttp } from '../../support/raw-http.ts';
import { startTestService, type TestService } from '../../support/test-service.ts';
import { http11, REFUSALS, type RefusalCtx } from './framework-refusals-cases.ts';
import { snapshot } from './state-snapshot.ts';

for (const engine of ENGINES) {
  describe(`framework-level bad requests over a real socket: the error shape, a 4xx, nothing changes [${engine}]`, () => {
    let service: TestService;
    let ctx: RefusalCtx;
    let before: unknown;

    beforeAll(async () => {
      service = await startTestService(engine);
      const signedUp = await service.call('POST', '/api/auth/register', {
        body: { email: 'framework@example.com', password: 'correct horse battery' },
      });
      const token = signedUp.body.token as string;
      const bought = await service.call('POST', '/api/credits/purchase', { token, body: { amount: 5 } });
      expect((await service.call('POST', `${new URL(bought.body.checkout_url).pathname}/pay`)).status).toBe(200);
      const live = await service.call('POST', '/api/proxy/connect', { token, body: { country: 'us' } });
      expect([signedUp.status, bought.status, live.status]).toEqual([201, 201, 201]);
      ctx = { token, sessionId: live.body.session.id, paymentId: bought.body.payment_id };
      before = await snapshot(service);
      expect(before).toMatchObject({ payments: 1, proxy_sessions: 1, balances: '5000000' });
    });
    afterAll(async () => service?.stop());

    for (const refusal of REFUSALS) {
      it(`${refusal.name} → ${errorStatus[refusal.code]} ${refusal.code}`, async () => {
        const response = await rawHttp(service.url, refusal.request(ctx));
        const seen = `${response.status} ${response.body.slice(0, 300)}`;
        expect(response.status, seen).toBeGreaterThanOrEqual(400);
        expect(response.status, seen).toBeLessThan(500);
        expect(response.headers['content-type'], seen).toMatch(/^application\/json/);
        const body = JSON.parse(response.body);
        expect(errorBodySchema.strict().safeParse(body).success, seen).toBe(true);
        expect(body.error.message, seen).toMatch(/\S/);
        expect({ status: response.status, code: body.error.code }).toEqual({
          status: errorStatus[refusal.code],
          code: refusal.code,
        });
        // Nothing of the framework's own shape, and nothing of the request echoed back.
        expect(response.body, seen).not.toMatch(/statusCode|FST_|HPE_|"Bad Request"/);
        expect(response.body, seen).not.toContain(ctx.token);
      });
    }

    it('after the whole table: the same rows and balances, the ledger verifies, and the service still answers', async () => {
      expect(await snapshot(service)).toEqual(before);
      expect(await verifyLedger(service.db)).toEqual([]);
      const health = await rawHttp(service.url, http11('GET', '/api/health'));
      expect(health.status).toBe(200);
      const sessions = await service.call('GET', '/api/proxy/sessions?status=active', { token: ctx.token });
      expect(sessions.body.sessions.map((s: { id: string }) => s.id)).toEqual([ctx.sessionId]);
    });

    it('a request in UTF-8 with the same framing as the refused ones is served: the refusals are for what they say', async () => {
      const headers = { 'content-type': 'application/json; charset=utf-8' };
      const bought = await rawHttp(
        service.url,
        http11('POST', '/api/credits/purchase', { signedIn: ctx, headers, body: '{"amount": 5}' }),
      );
      expect(bought.status, bought.body).toBe(201);
      expect(JSON.parse(bought.body)).toMatchObject({ status: 'pending', amount_cents: 500 });
    });
  });
}

describe('a request that arrives while the service closes [pglite]', () => {
  it('is answered 503 service_unavailable in the error shape, with Connection: close', async () => {
    const service = await startTestService('pglite');
    try {
      // Half a request: the connection is busy, so closing waits for it rather than dropping it.
      const socket = net.connect(Number(new URL(service.url).port), '127.0.0.1');
      await once(socket, 'connect');
      socket.write('GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      await delay(50);
      const closing = service.close();
      await delay(100);
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.write('\r\n');
      await once(socket, 'close');
      await closing;
      const [head = '', body = ''] = Buffer.concat(chunks).toString().split('\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1\.1 503 /);
      expect(head.toLowerCase()).toContain('connection: close');
      expect(JSON.parse(body)).toEqual({
        error: { code: 'service_unavailable', message: expect.stringMatching(/try again/) },
      });
    } finally {
      await service.stop();
    }
  });
});
