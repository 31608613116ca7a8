import { paymentsQuerySchema, paymentsResponseSchema } from '../../../shared/api/credits.ts';
import type { PaymentsDeps } from '../../payments/payment-service.ts';
import { listPayments } from '../../payments/list-payments.ts';
import type { App, AppDeps } from '../app-types.ts';
import { principalOf, type Authenticator } from '../auth-hook.ts';
import { paymentView } from '../views.ts';
import { responds } from './responses.ts';

/** `GET /api/payments`: every order the caller placed, with its package and how it ended. */
export function paymentsListRoute(app: App, deps: AppDeps, auth: Authenticator, payments: PaymentsDeps): void {
  app.get(
    '/api/payments',
    {
      onRequest: auth.authenticate,
      schema: { tags: ['credits'], querystring: paymentsQuerySchema, response: responds(200, paymentsResponseSchema) },
    },
    async (request) => {
      const found = await listPayments(deps.db, principalOf(request).userId, request.query.limit);
      return {
        payments: found.map((p) => paymentView(p, payments.providers.get(p.provider)?.testMode ?? false)),
      };
    },
  );
}
