import { autoTopupRequestSchema, autoTopupResponseSchema } from '../../../shared/api/auto-topup.ts';
import { credits } from '../../../shared/money.ts';
import { toCredits } from '../../../shared/money.ts';
import type { Db } from '../../db/types.ts';
import { findSavedCard, removeCard } from '../../payments/auto-topup/saved-cards.ts';
import { findSettings, putSettings, recentTopups, spentThisMonth } from '../../payments/auto-topup/settings.ts';
import type { AutoTopupWatch } from '../../payments/auto-topup/watch.ts';
import type { PaymentsDeps } from '../../payments/payment-service.ts';
import type { App } from '../app-types.ts';
import { principalOf, type Authenticator } from '../auth-hook.ts';
import { responds } from './responses.ts';

async function autoTopupView(db: Db, userId: string, now: number, available: boolean) {
  const [settings, card, recent, spent] = await Promise.all([
    findSettings(db, userId),
    findSavedCard(db, userId),
    recentTopups(db, userId),
    spentThisMonth(db, userId, now),
  ]);
  return {
    available,
    enabled: settings?.enabled ?? false,
    package_id: settings?.packageId ?? null,
    threshold: settings ? toCredits(settings.threshold) : null,
    threshold_micro: settings ? Number(settings.threshold) : null,
    monthly_cap_cents: settings?.monthlyCapCents ?? null,
    spent_this_month_cents: spent,
    disabled_reason: settings?.disabledReason ?? null,
    card: card && { brand: card.brand, last4: card.last4, exp_month: card.expMonth, exp_year: card.expYear },
    recent: recent.map((t) => ({
      status: t.status,
      amount_cents: t.amount,
      currency: t.currency,
      payment_id: t.paymentId,
      detail: t.detail,
      created_at: t.createdAt.toISOString(),
    })),
  };
}

/** Auto top-up with the saved card: see it, set it, remove the card (`watch` unset: no Paystack here). */
export function autoTopupRoutes(
  app: App,
  auth: Authenticator,
  payments: PaymentsDeps,
  watch: AutoTopupWatch | undefined,
): void {
  const tags = ['credits'];
  const onRequest = auth.authenticate;
  const view = (userId: string) => autoTopupView(payments.db, userId, payments.clock.now(), watch !== undefined);

  app.get(
    '/api/auto-topup',
    { onRequest, schema: { tags, response: responds(200, autoTopupResponseSchema) } },
    (request) => view(principalOf(request).userId),
  );

  app.put(
    '/api/auto-topup',
    { onRequest, schema: { tags, body: autoTopupRequestSchema, response: responds(200, autoTopupResponseSchema) } },
    async (request) => {
      const userId = principalOf(request).userId;
      const { enabled, package_id, threshold, monthly_cap_cents } = request.body;
      const choice = {
        enabled,
        packageId: package_id,
        threshold: credits(threshold),
        monthlyCapCents: monthly_cap_cents,
      };
      await putSettings(payments.db, userId, choice, payments.packages);
      // Already below the threshold: the first top-up need not wait for the next debit.
      if (enabled) watch?.check(userId);
      return view(userId);
    },
  );

  app.delete(
    '/api/auto-topup/card',
    { onRequest, schema: { tags, response: responds(200, autoTopupResponseSchema) } },
    async (request) => {
      const userId = principalOf(request).userId;
      await payments.db.transaction((tx) => removeCard(tx, userId));
      return view(userId);
    },
  );
}
