import { z } from 'zod';
import { paymentSchema } from '../../../shared/api/credits.ts';
import { AppError } from '../../../shared/errors.ts';
import { handleWebhook, verifyPayment, type PaymentsDeps } from '../../payments/payment-service.ts';
import type { Payment } from '../../payments/pending-payments.ts';
import { findPayment } from '../../payments/sandbox.ts';
import type { App, AppDeps } from '../app-types.ts';
import { principalOf, type Authenticator } from '../auth-hook.ts';
import { paymentView } from '../views.ts';
import { responds } from './responses.ts';
import { sandboxCheckoutRoutes } from './sandbox-checkout.ts';
import { resultPage } from './payment-pages.ts';

const params = z.object({ id: z.string().max(64) }).strict();
const webhookParams = z.object({ provider: z.enum(['paystack', 'btcpay']) }).strict();
const WEBHOOK_METHOD = { paystack: 'paystack', btcpay: 'crypto' } as const;

export function paymentRoutes(app: App, deps: AppDeps, auth: Authenticator, payments: PaymentsDeps): void {
  const tags = ['credits'];
  const testMode = (payment: Payment) => payments.providers.get(payment.provider)?.testMode ?? false;

  /** The caller's own payment; anyone else's does not exist, as far as they can tell. */
  async function ownPayment(userId: string, paymentId: string): Promise<Payment> {
    const payment = await findPayment(deps.db, paymentId);
    if (payment.userId !== userId) throw new AppError('unknown_payment', 'no such payment');
    return payment;
  }

  app.get(
    '/api/payments/:id',
    { onRequest: auth.authenticate, schema: { tags, params, response: responds(200, paymentSchema) } },
    async (request) => {
      const payment = await ownPayment(principalOf(request).userId, request.params.id);
      return paymentView(payment, testMode(payment));
    },
  );

  app.post(
    '/api/payments/:id/verify',
    { onRequest: auth.authenticate, schema: { tags, params, response: responds(200, paymentSchema) } },
    async (request) => {
      const payment = await verifyPayment(payments, await ownPayment(principalOf(request).userId, request.params.id));
      return paymentView(payment, testMode(payment));
    },
  );

  // Where a provider sends the user's browser after checkout: confirm now, say what happened.
  app.get('/payments/return/:id', { schema: { hide: true, params } }, async (request, reply) => {
    const payment = await findPayment(deps.db, request.params.id);
    const current = await verifyPayment(payments, payment).catch(() => payment);
    return reply.type('text/html').send(resultPage(current));
  });

  // Webhooks authenticate by signature over the exact bytes received, so the body stays raw here.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    scope.post<{ Params: z.infer<typeof webhookParams> }>(
      '/api/webhooks/:provider',
      { schema: { tags: ['webhooks'], security: [] } },
      async (request) => {
        const parsed = webhookParams.safeParse(request.params);
        if (!parsed.success) throw new AppError('not_found', 'no such webhook');
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const result = await handleWebhook(payments, WEBHOOK_METHOD[parsed.data.provider], raw, request.headers);
        return { received: true, outcome: result.outcome };
      },
    );
  });

  if (payments.providers.has('sandbox')) sandboxCheckoutRoutes(app, deps, params);
}
