import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { AppError } from '../../shared/errors.ts';
import { WalletSummaryCache } from '../ledger/wallet-summary-cache.ts';
import type { PaymentsDeps } from '../payments/payment-service.ts';
import { buildProviders } from '../payments/payments-config.ts';
import type { App, AppDeps } from './app-types.ts';
import { createAuthenticator } from './auth-hook.ts';
import { answerError, installErrorHandlers } from './error-handler.ts';
import { installJsonBody } from './json-body.ts';
import { answerClientError, answerNodeLevelRequests } from './raw-errors.ts';
import { installRequestGuards, MAX_PARAM_LENGTH } from './request-guards.ts';
import { adminRoutes } from './routes/admin.ts';
import { authRoutes } from './routes/auth.ts';
import { creditsRoutes } from './routes/credits.ts';
import { healthRoutes } from './routes/health.ts';
import { locationRoutes } from './routes/locations.ts';
import { paymentRoutes } from './routes/payments.ts';
import { paymentsListRoute } from './routes/payments-list.ts';
import { receiptRoute } from './routes/receipts.ts';
import { autoTopupRoutes } from './routes/auto-topup.ts';
import { startAutoTopup } from '../payments/auto-topup/start.ts';
import { walletStreamRoute } from './routes/wallet-stream.ts';
import { WalletStreamHub } from './wallet-stream-hub.ts';
import { proxyRoutes } from './routes/proxy.ts';

// Every request body we accept is small JSON; anything bigger is refused before parsing.
const BODY_LIMIT = 64 * 1024;

/** The billing API: framework plugins first, then the error contract, then the routes. */
export async function buildApp(deps: AppDeps, logger: FastifyServerOptions['logger'] = false): Promise<App> {
  // Every refusal is in the error shape, the framework's and Node's own included:
  // bad URLs and parameters (frameworkErrors), malformed HTTP (clientErrorHandler),
  // a missing Host (checked by the request guards), closing (the guards again, not Fastify's 503).
  const app = Fastify({
    logger,
    bodyLimit: BODY_LIMIT,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    forceCloseConnections: 'idle',
    return503OnClosing: false,
    frameworkErrors: answerError,
    clientErrorHandler: answerClientError,
    http: { requireHostHeader: false },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('principal', null);
  installErrorHandlers(app);
  installJsonBody(app);
  answerNodeLevelRequests(app.server);
  // Also graceful close: idle keep-alive connections are dropped at once, a request
  // in flight gets its answer with `Connection: close`, and a new one a 503.
  installRequestGuards(app);

  await app.register(swagger, {
    openapi: {
      info: { title: 'Atlantic Proxy billing API', version: '1.0.0' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new AppError('rate_limited', `too many requests; try again in ${context.after}`),
  });

  const auth = createAuthenticator(deps);
  const walletSummaries = new WalletSummaryCache(deps.db);
  await walletSummaries.start();
  app.addHook('onClose', () => walletSummaries.close());
  const walletStreams = new WalletStreamHub(deps.db, deps.config.metering.pricing, deps.clock);
  await walletStreams.start();
  // Before the server waits for open connections to finish: streams never finish by themselves.
  app.addHook('preClose', () => walletStreams.close());
  const payments: PaymentsDeps = {
    db: deps.db,
    clock: deps.clock,
    providers: buildProviders(deps.config.payments, deps.config.publicUrl),
    packages: deps.config.packages,
    publicUrl: deps.config.publicUrl,
    expiryMs: deps.config.payments.expiryMs,
    maxOpenCheckouts: deps.config.maxOpenCheckouts,
  };
  const autoTopup = await startAutoTopup(payments, deps.config.payments, app.log);
  app.addHook('onClose', () => autoTopup?.stop());
  healthRoutes(app, deps);
  authRoutes(app, deps, auth);
  creditsRoutes(app, deps, auth, payments, walletSummaries);
  paymentRoutes(app, deps, auth, payments);
  paymentsListRoute(app, deps, auth, payments);
  receiptRoute(app, deps, auth, payments);
  autoTopupRoutes(app, auth, payments, autoTopup);
  walletStreamRoute(app, auth, walletStreams);
  proxyRoutes(app, deps, auth);
  locationRoutes(app, deps, auth);
  adminRoutes(app, deps, auth, payments);
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}
