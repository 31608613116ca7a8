import { z } from 'zod';
import { authResponseSchema, credentialsSchema, userSchema } from '../../../shared/api/auth.ts';
import { getUser, login, register, type AccountUser } from '../../accounts/auth-service.ts';
import { revokeToken } from '../../accounts/tokens.ts';
import type { App, AppDeps } from '../app-types.ts';
import { bearerToken, principalOf, type Authenticator } from '../auth-hook.ts';
import { responds } from './responses.ts';

const userView = (user: AccountUser) => ({
  id: user.id,
  email: user.email,
  role: user.role,
  created_at: user.createdAt.toISOString(),
});

export function authRoutes(app: App, deps: AppDeps, auth: Authenticator): void {
  const config = { tokenTtlMs: deps.config.tokenTtlMs, now: () => deps.clock.now() };
  const tags = ['auth'];
  // Guessing passwords is slowed per client address; scrypt makes each guess costly too.
  const limited = { rateLimit: { max: deps.config.loginRateLimit, timeWindow: 60_000 } };

  app.post(
    '/api/auth/register',
    {
      config: limited,
      schema: { tags, security: [], body: credentialsSchema, response: responds(201, authResponseSchema) },
    },
    async (request, reply) => {
      const { user, token } = await register(deps.db, request.body, config);
      return reply.status(201).send({ user: userView(user), token });
    },
  );

  app.post(
    '/api/auth/login',
    {
      config: limited,
      schema: { tags, security: [], body: credentialsSchema, response: responds(200, authResponseSchema) },
    },
    async (request) => {
      const { user, token } = await login(deps.db, request.body, config);
      return { user: userView(user), token };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      onRequest: auth.authenticate,
      schema: { tags, response: responds(200, z.object({ signed_out: z.literal(true) })) },
    },
    async (request) => {
      const token = bearerToken(request)!;
      await revokeToken(deps.db, token, deps.clock.now());
      auth.forget(token);
      return { signed_out: true as const };
    },
  );

  app.get(
    '/api/auth/me',
    { onRequest: auth.authenticate, schema: { tags, response: responds(200, userSchema) } },
    async (request) => userView(await getUser(deps.db, principalOf(request).userId)),
  );
}
