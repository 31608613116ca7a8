import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../support/engines.ts';
import { MINUTE } from '../../support/fake-clock.ts';
import { startTestService, type TestService } from '../../support/test-service.ts';

const PASSWORD = 'correct horse battery';
const DAY = 86_400_000;

for (const engine of ENGINES) {
  describe(`sign-in: rate limit and credential errors [${engine}]`, () => {
    let service: TestService;
    beforeAll(async () => {
      service = await startTestService(engine, { LOGIN_RATE_LIMIT: '3' });
    });
    afterAll(async () => service?.stop());

    it('wrong password and unknown email look alike; duplicates are refused; the 4th login in a minute is 429', async () => {
      const email = 'limited@example.com';
      expect((await service.call('POST', '/api/auth/register', { body: { email, password: PASSWORD } })).status).toBe(
        201,
      );
      const duplicate = await service.call('POST', '/api/auth/register', {
        body: { email: 'Limited@Example.com', password: 'another long password' },
      });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.error.code).toBe('email_taken');

      const wrongPassword = await service.call('POST', '/api/auth/login', {
        body: { email, password: 'not the password' },
      });
      expect(wrongPassword.status).toBe(401);
      expect(wrongPassword.body).toEqual({ error: { code: 'invalid_credentials', message: expect.any(String) } });
      const unknownEmail = await service.call('POST', '/api/auth/login', {
        body: { email: 'nobody@example.com', password: PASSWORD },
      });
      // Nothing tells an attacker whether the account exists.
      expect(unknownEmail).toEqual(wrongPassword);

      const good = await service.call('POST', '/api/auth/login', { body: { email, password: PASSWORD } });
      expect(good.status).toBe(200);
      expect(good.body.user.email).toBe(email);

      for (const password of [PASSWORD, 'not the password']) {
        const limited = await service.call('POST', '/api/auth/login', { body: { email, password } });
        expect(limited.status).toBe(429);
        expect(limited.body).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
      }
      // Only the attempts were limited: the token from the good login still works.
      expect((await service.call('GET', '/api/auth/me', { token: good.body.token })).body.email).toBe(email);
      const { rows } = await service.db.query<{ n: number }>('SELECT count(*)::int AS n FROM auth_tokens');
      expect(rows[0]!.n).toBe(2); // registration and the one good login
    });
  });

  describe(`token expiry [${engine}]`, () => {
    let service: TestService;
    beforeAll(async () => {
      service = await startTestService(engine, { TOKEN_TTL_DAYS: '1', LOGIN_RATE_LIMIT: '1000' });
    });
    afterAll(async () => service?.stop());

    it("a token stops working TOKEN_TTL_DAYS after it was issued, on the service's clock", async () => {
      const issuedAt = service.clock.now();
      const email = 'expiring@example.com';
      const registered = await service.call('POST', '/api/auth/register', { body: { email, password: PASSWORD } });
      expect((await service.call('GET', '/api/auth/me', { token: registered.body.token })).status).toBe(200);
      // A second token, never used yet, so the authenticator's few-second cache cannot answer for it.
      const login = await service.call('POST', '/api/auth/login', { body: { email, password: PASSWORD } });
      expect(login.status).toBe(200);

      const { rows } = await service.db.query<{ expires_at: Date }>('SELECT expires_at FROM auth_tokens');
      // Soft, so the behaviour below is checked too; this says why it fails if it does.
      expect
        .soft(
          rows.map((r) => new Date(r.expires_at).toISOString()),
          'expires_at should be the issue time on the service clock + 1 day',
        )
        .toEqual([new Date(issuedAt + DAY).toISOString(), new Date(issuedAt + DAY).toISOString()]);

      service.clock.advance(DAY + MINUTE);
      const expired = await service.call('GET', '/api/auth/me', { token: login.body.token });
      expect(expired.status, 'a token used a day and a minute after it was issued (service clock)').toBe(401);
      expect(expired.body.error.code).toBe('unauthorized');
    });
  });
}
