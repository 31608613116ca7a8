import {
  connectRequestSchema,
  connectResponseSchema,
  sessionRefSchema,
  sessionResponseSchema,
  sessionsQuerySchema,
  sessionsResponseSchema,
} from '../../../shared/api/proxy.ts';
import { getWallet } from '../../ledger/wallets.ts';
import { mintGatewayPassword } from '../../sessions/gateway-credentials.ts';
import { resolveTargeting } from '../../locations/resolve-targeting.ts';
import { listSessions } from '../../sessions/list-sessions.ts';
import { chooseSessionMode, storeSessionMode } from '../../sessions/session-mode.ts';
import type { ProxySession } from '../../sessions/session-row.ts';
import { endSession, heartbeat, startSession } from '../../sessions/sessions.ts';
import type { App, AppDeps } from '../app-types.ts';
import { principalOf, type Authenticator } from '../auth-hook.ts';
import { perUserRateLimit } from '../per-user-limit.ts';
import { sessionView } from '../views.ts';
import { responds } from './responses.ts';

export function proxyRoutes(app: App, deps: AppDeps, auth: Authenticator): void {
  const tags = ['proxy'];
  const onRequest = auth.authenticate;
  const metering = deps.config.metering;

  async function view(session: ProxySession) {
    const { balance } = await getWallet(deps.db, session.userId);
    return { session: sessionView(session, balance, deps.clock.now()) };
  }

  app.post(
    '/api/proxy/connect',
    {
      onRequest,
      config: perUserRateLimit(deps.config.connectRateLimit),
      schema: { tags, body: connectRequestSchema, response: responds(201, connectResponseSchema) },
    },
    async (request, reply) => {
      const { session_mode, sticky_minutes, ...place } = request.body;
      const chosen = chooseSessionMode(deps.exits, { session_mode, sticky_minutes });
      const targeting = resolveTargeting(deps.exits.catalog, place);
      // The session's own gateway password: shown once, stored only as a hash.
      const { password, hash } = mintGatewayPassword();
      const session = await startSession(
        deps.db,
        {
          userId: principalOf(request).userId,
          targeting,
          now: deps.clock.now(),
          gatewayPasswordHash: hash,
        },
        metering,
      );
      await storeSessionMode(deps.db, session.id, chosen);
      deps.sessionsChanged(session.userId);
      const { host, port } = deps.gatewayAddress();
      return reply.status(201).send({
        ...(await view({ ...session, sessionMode: chosen.mode, stickyMinutes: chosen.stickyMinutes ?? undefined })),
        gateway: { host, port, username: session.id, password },
        session_mode: chosen.mode,
        sticky_minutes: chosen.stickyMinutes,
      });
    },
  );

  app.post(
    '/api/proxy/disconnect',
    { onRequest, schema: { tags, body: sessionRefSchema, response: responds(200, sessionResponseSchema) } },
    async (request) => {
      const ref = { sessionId: request.body.session_id, userId: principalOf(request).userId };
      const { session } = await endSession(
        deps.db,
        { ...ref, reason: 'disconnected', now: deps.clock.now(), gatewayUpSince: await deps.gatewayUpSince() },
        metering,
      );
      deps.sessionsChanged(session.userId);
      return view(session);
    },
  );

  app.post(
    '/api/proxy/heartbeat',
    { onRequest, schema: { tags, body: sessionRefSchema, response: responds(200, sessionResponseSchema) } },
    async (request) => {
      const ref = { sessionId: request.body.session_id, userId: principalOf(request).userId };
      const gatewayUpSince = await deps.gatewayUpSince();
      const session = await heartbeat(deps.db, { ...ref, now: deps.clock.now(), gatewayUpSince }, metering);
      if (session.unservedGapMs > 0) deps.sessionsChanged(session.userId);
      return view(session);
    },
  );

  app.get(
    '/api/proxy/sessions',
    { onRequest, schema: { tags, querystring: sessionsQuerySchema, response: responds(200, sessionsResponseSchema) } },
    async (request) => {
      const userId = principalOf(request).userId;
      const [sessions, wallet] = await Promise.all([
        listSessions(deps.db, userId, request.query),
        getWallet(deps.db, userId),
      ]);
      return { sessions: sessions.map((s) => sessionView(s, wallet.balance, deps.clock.now())) };
    },
  );
}
