import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { formatCredits } from '../../../shared/money.ts';
import type { Db } from '../../db/types.ts';
import { grantPayment } from '../../payments/payment-entries.ts';
import { failPayment, type Payment } from '../../payments/pending-payments.ts';
import { findSandboxPayment } from '../../payments/sandbox.ts';
import type { App, AppDeps } from '../app-types.ts';
import { escapeHtml, page, resultPage } from './payment-pages.ts';
import { packageNameOfId } from '../../../shared/display.ts';

function checkoutPage(payment: Payment): string {
  if (payment.status !== 'pending') return resultPage(payment);
  const action = (what: string) => `/sandbox/checkout/${payment.id}/${what}`;
  return page(
    'Atlantic Proxy test checkout',
    `<h1>${escapeHtml(packageNameOfId(payment.packageId))}: ${formatCredits(payment.credits + payment.bonus)} credits</h1>
<form method="post" action="${action('pay')}"><button id="pay">Pay $${payment.amount / 100}</button></form>
<form method="post" action="${action('cancel')}"><button id="cancel">Cancel</button></form>`,
    true,
  );
}

async function pay(db: Db, paymentId: string, at: number): Promise<Payment> {
  await findSandboxPayment(db, paymentId);
  return (await grantPayment(db, paymentId, at)).payment;
}

async function cancel(db: Db, paymentId: string): Promise<Payment> {
  await findSandboxPayment(db, paymentId);
  await failPayment(db, paymentId, 'cancelled');
  return findSandboxPayment(db, paymentId);
}

/**
 * The sandbox checkout, opened in the user's browser and so not behind a token:
 * the unguessable payment id is the capability, as with a provider's checkout link.
 * Its buttons post HTML forms; their (empty) bodies are accepted in this scope only.
 */
export function sandboxCheckoutRoutes(app: App, deps: AppDeps, params: z.ZodType<{ id: string }>): void {
  void app.register(async (scope) => {
    const checkout = scope.withTypeProvider<ZodTypeProvider>();
    checkout.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, _body, done) =>
      done(null, {}),
    );
    const route = { schema: { hide: true, params } };
    checkout.get('/sandbox/checkout/:id', route, async (request, reply) =>
      reply.type('text/html').send(checkoutPage(await findSandboxPayment(deps.db, request.params.id))),
    );
    checkout.post('/sandbox/checkout/:id/pay', route, async (request, reply) =>
      reply.type('text/html').send(checkoutPage(await pay(deps.db, request.params.id, deps.clock.now()))),
    );
    checkout.post('/sandbox/checkout/:id/cancel', route, async (request, reply) =>
      reply.type('text/html').send(checkoutPage(await cancel(deps.db, request.params.id))),
    );
  });
}
