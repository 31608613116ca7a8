import { amount } from '../../../shared/api/amounts.ts';
import {
  balanceResponseSchema,
  featuresResponseSchema,
  packagesResponseSchema,
  paymentSchema,
  purchaseRequestSchema,
  transactionsQuerySchema,
  transactionsResponseSchema,
  usageQuerySchema,
  usageResponseSchema,
} from '../../../shared/api/credits.ts';
import { AppError } from '../../../shared/errors.ts';
import { totalCredits } from '../../../shared/packages.ts';
import { hoursRemaining } from '../../../shared/pricing.ts';
import { listActivity } from '../../ledger/list-activity.ts';
import { usageByDay } from '../../ledger/usage-by-day.ts';
import type { WalletSummaryCache } from '../../ledger/wallet-summary-cache.ts';
import { getWalletSummary } from '../../ledger/wallet-summary.ts';
import { startPurchase, type PaymentsDeps } from '../../payments/payment-service.ts';
import type { App, AppDeps } from '../app-types.ts';
import { principalOf, type Authenticator } from '../auth-hook.ts';
import { perUserRateLimit } from '../per-user-limit.ts';
import { paymentView, transactionView } from '../views.ts';
import { balanceView, featuresView, ratesView } from '../wallet-views.ts';
import { responds } from './responses.ts';

const round2 = (n: number) => Math.floor(n * 100) / 100;

export function creditsRoutes(
  app: App,
  deps: AppDeps,
  auth: Authenticator,
  payments: PaymentsDeps,
  walletSummaries: WalletSummaryCache,
): void {
  const pricing = deps.config.metering.pricing;
  const tags = ['credits'];
  const onRequest = auth.authenticate;
  // Only the balance route, which just shows the summary, may take it from the cache.
  async function summary(userId: string, { cached = false } = {}) {
    const found = await (cached ? walletSummaries.get(userId) : getWalletSummary(deps.db, userId));
    if (!found) throw new AppError('unknown_user', 'no such user');
    return found;
  }

  app.get(
    '/api/credits/balance',
    { onRequest, schema: { tags, response: responds(200, balanceResponseSchema) } },
    async (request) => {
      return balanceView(await summary(principalOf(request).userId, { cached: true }), pricing);
    },
  );

  app.get(
    '/api/credits/packages',
    { onRequest, schema: { tags, response: responds(200, packagesResponseSchema) } },
    async () => ({
      packages: deps.config.packages.map((p) => ({
        id: p.id,
        amount: p.priceCents / 100,
        price: p.priceCents / 100,
        price_cents: p.priceCents,
        currency: p.currency,
        ...amount('credits', p.credits),
        ...amount('bonus', p.bonus),
        ...amount('total_credits', totalCredits(p)),
        hours_with_city: round2(hoursRemaining(totalCredits(p), pricing).city),
        popular: p.popular,
      })),
      methods: [...payments.providers.keys()],
      test_mode: [...payments.providers.values()].some((p) => p.testMode),
      rates: ratesView(pricing),
    }),
  );

  app.post(
    '/api/credits/purchase',
    {
      onRequest,
      config: perUserRateLimit(deps.config.purchaseRateLimit),
      schema: { tags, body: purchaseRequestSchema, response: responds(201, paymentSchema) },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const payment = await startPurchase(payments, {
        userId: principal.userId,
        email: principal.email,
        packageId: request.body.package_id,
        amount: request.body.amount,
        method: request.body.method,
      });
      return reply.status(201).send(paymentView(payment, payments.providers.get(payment.provider)?.testMode ?? false));
    },
  );

  app.get(
    '/api/credits/transactions',
    {
      onRequest,
      schema: { tags, querystring: transactionsQuerySchema, response: responds(200, transactionsResponseSchema) },
    },
    async (request) => {
      const { limit, cursor, kind } = request.query;
      const page = await listActivity(deps.db, principalOf(request).userId, {
        limit,
        cursor: cursor === undefined ? undefined : BigInt(cursor),
        kind,
      });
      return { transactions: page.entries.map(transactionView), next_cursor: page.nextCursor?.toString() ?? null };
    },
  );

  app.get(
    '/api/credits/usage',
    { onRequest, schema: { tags, querystring: usageQuerySchema, response: responds(200, usageResponseSchema) } },
    async (request) => {
      const days = await usageByDay(deps.db, principalOf(request).userId, request.query.days, deps.clock.now());
      return {
        days: days.map(({ date, byTier }) => ({
          date,
          country_micro: Number(byTier.country),
          city_micro: Number(byTier.city),
          state_micro: Number(byTier.state),
          isp_micro: Number(byTier.isp),
          ...amount('total', byTier.country + byTier.city + byTier.state + byTier.isp),
        })),
      };
    },
  );

  app.get(
    '/api/credits/features',
    { onRequest, schema: { tags, response: responds(200, featuresResponseSchema) } },
    async (request) => {
      return featuresView((await summary(principalOf(request).userId)).balance, pricing);
    },
  );
}
