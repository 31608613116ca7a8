import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { paymentSchema } from '../../../shared/api/credits.ts';
import { AppError } from '../../../shared/errors.ts';
import { formatCredits } from '../../../shared/money.ts';
import { cancelSandbox, findPayment, paySandbox, SANDBOX } from '../../payments/sandbox.ts';
import type { Payment } from '../../payments/pending-payments.ts';
import type { App, AppDeps } from '../app-types.ts';
import { principalOf, type Authenticator } from '../auth-hook.ts';
import { paymentView } from '../views.ts';
import { responds } from './responses.ts';

const params = z.object({ id: z.string().max(64) }).strict();

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function checkoutPage(payment: Payment): string {
  const total = formatCredits(payment.credits + payment.bonus);
  const action = (what: string) => `/sandbox/checkout/${payment.id}/${what}`;
  const buttons =
    payment.status === 'pending'
      ? `<form method="post" action="${action('pay')}"><button id="pay">Pay $${payment.amount / 100}</button></form>
         <form method="post" action="${action('cancel')}"><button id="cancel">Cancel</button></form>`
      : `<p id="status">This payment is ${escapeHtml(payment.status)}. You can return to Atlantic Proxy.</p>`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>Atlantic Proxy test checkout</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; form-action 'self'">
<style>body{font-family:system-ui;max-width:28rem;margin:4rem auto}.test{background:#fde68a;padding:.5rem}</style></head>
<body><p class="test"><strong>TEST MODE</strong> — no money moves.</p>
<h1>${escapeHtml(payment.packageId)}: ${total} credits</h1>${buttons}</body></html>`;
}

export function paymentRoutes(app: App, deps: AppDeps, auth: Authenticator): void {
  app.get(
    '/api/payments/:id',
    { onRequest: auth.authenticate, schema: { tags: ['credits'], params, response: responds(200, paymentSchema) } },
    async (request) => {
      const payment = await findPayment(deps.db, request.params.id);
      // Another user's payment does not exist, as far as this user can tell.
      if (payment.userId !== principalOf(request).userId) throw new AppError('unknown_payment', 'no such payment');
      return paymentView(payment, payment.provider === SANDBOX);
    },
  );

  if (!deps.config.paymentMethods.includes(SANDBOX)) return;

  // The sandbox checkout is opened in the user's browser, so it is not behind a token:
  // the unguessable payment id is the capability, as with a provider's checkout link.
  // Its buttons post HTML forms; their (empty) bodies are accepted in this scope only.
  void app.register(async (scope) => {
    const checkout = scope.withTypeProvider<ZodTypeProvider>();
    checkout.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, _body, done) =>
      done(null, {}),
    );
    const page = { schema: { hide: true, params } };
    checkout.get('/sandbox/checkout/:id', page, async (request, reply) =>
      reply.type('text/html').send(checkoutPage(await findPayment(deps.db, request.params.id))),
    );
    checkout.post('/sandbox/checkout/:id/pay', page, async (request, reply) =>
      reply.type('text/html').send(checkoutPage(await paySandbox(deps.db, request.params.id, deps.clock.now()))),
    );
    checkout.post('/sandbox/checkout/:id/cancel', page, async (request, reply) =>
      reply.type('text/html').send(checkoutPage(await cancelSandbox(deps.db, request.params.id))),
    );
  });
}
