import { z } from 'zod';
import { display, micro } from './amounts.ts';
import { transactionSchema } from './credits.ts';

export const adjustmentRequestSchema = z
  .object({
    user_id: z.uuid().optional(),
    email: z.email().optional(),
    /** Signed decimal credits, e.g. "5" to grant or "-1.25" to take. */
    amount: z.string().regex(/^-?\d{1,9}(\.\d{1,6})?$/, 'signed credits with at most 6 decimals'),
    reason: z.string().trim().min(3).max(500),
    idempotency_key: z.string().min(1).max(100).optional(),
  })
  .strict()
  .refine((body) => (body.user_id === undefined) !== (body.email === undefined), {
    message: 'give exactly one of user_id or email',
  });

export const adjustmentResponseSchema = z.object({
  transaction: transactionSchema,
  balance: display,
  balance_micro: micro,
});

export const adminUserSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  role: z.enum(['user', 'admin']),
  balance: display,
  balance_micro: micro,
  created_at: z.string(),
});

export const adminUsersQuerySchema = z
  .object({ limit: z.coerce.number().int().min(1).max(500).default(100), email: z.string().max(254).optional() })
  .strict();

export const adminUsersResponseSchema = z.object({ users: z.array(adminUserSchema) });

export type AdjustmentRequest = z.infer<typeof adjustmentRequestSchema>;
export type AdjustmentResponse = z.infer<typeof adjustmentResponseSchema>;
export type AdminUserView = z.infer<typeof adminUserSchema>;

export const refundParamsSchema = z.object({ id: z.string().max(64) }).strict();
export const refundRequestSchema = z.object({ reason: z.string().trim().min(3).max(500) }).strict();
export const refundResponseSchema = z.object({
  payment_id: z.uuid(),
  status: z.enum(['pending', 'paid', 'failed', 'refunded']),
  clawed_back: display,
  clawed_back_micro: micro,
  /** What the balance no longer held: spent before the refund, recorded on the payment. */
  shortfall: display,
  shortfall_micro: micro,
});
