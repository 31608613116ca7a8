import {
  adjustmentRequestSchema,
  adjustmentResponseSchema,
  adminUsersQuerySchema,
  adminUsersResponseSchema,
  refundParamsSchema,
  refundRequestSchema,
  refundResponseSchema,
} from '../../../shared/api/admin.ts';
import { amount } from '../../../shared/api/amounts.ts';
import { credits } from '../../../shared/money.ts';
import { findUserId, listUsers } from '../../accounts/admin-users.ts';
import { adjustBalance } from '../../ledger/admin-adjustment.ts';
import { refundByOperator, type PaymentsDeps } from '../../payments/payment-service.ts';
import type { App, AppDeps } from '../app-types.ts';
import { principalOf, type Authenticator } from '../auth-hook.ts';
import { transactionView } from '../views.ts';
import { responds } from './responses.ts';

export function adminRoutes(app: App, deps: AppDeps, auth: Authenticator, payments: PaymentsDeps): void {
  const tags = ['admin'];
  const onRequest = auth.requireAdmin;

  app.post(
    '/api/admin/adjustments',
    { onRequest, schema: { tags, body: adjustmentRequestSchema, response: responds(201, adjustmentResponseSchema) } },
    async (request, reply) => {
      const admin = principalOf(request);
      const userId = await findUserId(deps.db, { userId: request.body.user_id, email: request.body.email });
      const entry = await adjustBalance(deps.db, {
        userId,
        amount: credits(request.body.amount),
        reason: request.body.reason,
        by: { adminId: admin.userId, name: admin.email },
        idempotencyKey: request.body.idempotency_key && `${admin.userId}:${request.body.idempotency_key}`,
      });
      return reply.status(201).send({ transaction: transactionView(entry), ...amount('balance', entry.balanceAfter) });
    },
  );

  app.get(
    '/api/admin/users',
    {
      onRequest,
      schema: { tags, querystring: adminUsersQuerySchema, response: responds(200, adminUsersResponseSchema) },
    },
    async (request) => ({
      users: (await listUsers(deps.db, request.query)).map((u) => ({
        id: u.id,
        email: u.email,
        role: u.role,
        ...amount('balance', u.balance),
        created_at: u.createdAt.toISOString(),
      })),
    }),
  );

  app.post(
    '/api/admin/payments/:id/refund',
    {
      onRequest,
      schema: {
        tags,
        params: refundParamsSchema,
        body: refundRequestSchema,
        response: responds(200, refundResponseSchema),
      },
    },
    async (request) => {
      const admin = principalOf(request);
      const result = await refundByOperator(payments, request.params.id, `${request.body.reason} (by ${admin.email})`);
      return {
        payment_id: result.payment.id,
        status: result.payment.status,
        ...amount('clawed_back', result.clawedBack),
        ...amount('shortfall', result.shortfall),
      };
    },
  );
}
