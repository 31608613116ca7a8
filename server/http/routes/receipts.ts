import { z } from 'zod';
import { AppError } from '../../../shared/errors.ts';
import type { PaymentsDeps } from '../../payments/payment-service.ts';
import { receiptHtml } from '../receipt-page.ts';
import { findPayment } from '../../payments/sandbox.ts';
import type { App, AppDeps } from '../app-types.ts';
import { principalOf, type Authenticator } from '../auth-hook.ts';
import { responds } from './responses.ts';

const params = z.object({ id: z.string().max(64) }).strict();

/** `GET /api/payments/:id/receipt`: the caller's own paid payment as a printable HTML page. */
export function receiptRoute(app: App, deps: AppDeps, auth: Authenticator, payments: PaymentsDeps): void {
  app.get(
    '/api/payments/:id/receipt',
    {
      onRequest: auth.authenticate,
      schema: { tags: ['credits'], params, response: responds(200, z.string().describe('text/html')) },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const payment = await findPayment(deps.db, request.params.id);
      // Anyone else's payment does not exist, as far as the caller can tell.
      if (payment.userId !== principal.userId) throw new AppError('unknown_payment', 'no such payment');
      if (payment.status !== 'paid' && payment.status !== 'refunded') {
        throw new AppError('not_found', `this payment is ${payment.status}: only a paid payment has a receipt`);
      }
      const html = receiptHtml(payment, {
        operatorName: deps.config.operatorName,
        email: principal.email,
        testMode: payments.providers.get(payment.provider)?.testMode ?? false,
      });
      return reply.type('text/html; charset=utf-8').header('cache-control', 'private, no-store').send(html);
    },
  );
}
