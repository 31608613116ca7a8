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
import { hoursRemaining, isTierUnlocked, minStartBalance, msRemaining, TIERS } from '../../../shared/pricing.ts';
import { listActivity } from '../../ledger/list-activity.ts';
import { usageByDay } from '../../ledger/usage-by-day.ts';
import type { WalletSummaryCache } from '../../ledger/wallet-summary-cache.ts';
import { getWalletSummary } from '../../ledger/wallet-summary.ts';
import { startPurchase, type PaymentsDeps } from '../../payments/payment-service.ts';
import type { App, AppDeps } from '../app-types.ts';
import { principalOf, type Authenticator } from '../auth-hook.ts';
import { paymentView, transactionView } from '../views.ts';
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
  const rates = () =>
    TIERS.map((tier) => ({
      tier,
      ...amount('per_hour', pricing.ratesPerHour[tier]),
      ...amount('min_balance', minStartBalance(tier, pricing)),
    }));

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
      const wallet = await summary(principalOf(request).userId, { cached: true });
      const hours = hoursRemaining(wallet.balance, pricing);
      return {
        ...amount('balance', wallet.balance),
        hours_remaining: {
          country_only: hours.country,
          with_city: hours.city,
          with_state: hours.state,
          with_isp: hours.isp,
        },
        ...amount('total_purchased', wallet.totalPurchased),
        ...amount('total_spent', wallet.totalSpent),
        active_sessions: wallet.activeSessions,
        ...amount('burn_rate_per_hour', wallet.burnRate),
        seconds_remaining_at_current_rate:
          wallet.burnRate > 0n ? Number(msRemaining(wallet.balance, wallet.burnRate) / 1000n) : null,
      };
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
        currency: 'USD',
        ...amount('credits', p.credits),
        ...amount('bonus', p.bonus),
        ...amount('total_credits', totalCredits(p)),
        hours_with_city: round2(hoursRemaining(totalCredits(p), pricing).city),
        popular: p.popular,
      })),
      methods: [...payments.providers.keys()],
      test_mode: [...payments.providers.values()].some((p) => p.testMode),
      rates: rates(),
    }),
  );

  app.post(
    '/api/credits/purchase',
    { onRequest, schema: { tags, body: purchaseRequestSchema, response: responds(201, paymentSchema) } },
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
      const { balance } = await summary(principalOf(request).userId);
      const unlocked = (tier: (typeof TIERS)[number]) => isTierUnlocked(balance, tier, pricing);
      return {
        can_use_country: unlocked('country'),
        can_use_city: unlocked('city'),
        can_use_state: unlocked('state'),
        can_use_isp: unlocked('isp'),
        ...amount('balance', balance),
        rates: rates().map((rate) => ({ ...rate, unlocked: unlocked(rate.tier) })),
      };
    },
  );
}
