import { z } from 'zod';
import { display, micro } from './amounts.ts';

const tierEnum = z.enum(['country', 'city', 'state', 'isp']);

/** The seed's hours_remaining, one entry per tier. */
export const hoursRemainingSchema = z.object({
  country_only: z.number(),
  with_city: z.number(),
  with_state: z.number(),
  with_isp: z.number(),
});

export const balanceResponseSchema = z.object({
  balance: display,
  balance_micro: micro,
  hours_remaining: hoursRemainingSchema,
  total_purchased: display,
  total_purchased_micro: micro,
  total_spent: display,
  total_spent_micro: micro,
  active_sessions: z.number().int(),
  /** What the live sessions burn together per hour (0 when none). */
  burn_rate_per_hour: display,
  burn_rate_per_hour_micro: micro,
  /** Time the balance lasts at the live sessions' combined rate; null when nothing is live. */
  seconds_remaining_at_current_rate: z.number().int().nullable(),
});

export const rateSchema = z.object({
  tier: tierEnum,
  per_hour: display,
  per_hour_micro: micro,
  min_balance: display,
  min_balance_micro: micro,
});

export const packageSchema = z.object({
  id: z.string(),
  /** The seed's key: the price in dollars, also accepted by purchase. */
  amount: z.number(),
  price: z.number(),
  price_cents: z.number().int(),
  currency: z.string(),
  credits: display,
  credits_micro: micro,
  bonus: display,
  bonus_micro: micro,
  total_credits: display,
  total_credits_micro: micro,
  hours_with_city: z.number(),
  popular: z.boolean(),
});

export const packagesResponseSchema = z.object({
  packages: z.array(packageSchema),
  methods: z.array(z.string()),
  test_mode: z.boolean(),
  rates: z.array(rateSchema),
});

export const purchaseRequestSchema = z
  .object({
    amount: z.number().positive().max(1_000_000).optional(),
    package_id: z.string().min(1).max(64).optional(),
    method: z.string().min(1).max(32).optional(),
  })
  .strict()
  .refine((body) => (body.amount === undefined) !== (body.package_id === undefined), {
    message: 'give exactly one of amount or package_id',
  });

export const paymentSchema = z.object({
  payment_id: z.uuid(),
  package_id: z.string(),
  method: z.string(),
  status: z.enum(['pending', 'paid', 'failed', 'refunded']),
  checkout_url: z.string().nullable(),
  amount_cents: z.number().int(),
  currency: z.string(),
  credits: display,
  credits_micro: micro,
  bonus: display,
  bonus_micro: micro,
  test_mode: z.boolean(),
  created_at: z.string(),
  paid_at: z.string().nullable(),
  /** Why a failed payment failed, in the provider's or service's words ("cancelled", "expired"). */
  failure_reason: z.string().nullable().optional(),
});

export const paymentsQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(100).default(50) }).strict();

export const paymentsResponseSchema = z.object({ payments: z.array(paymentSchema) });

export { paymentOutcome, type PaymentOutcome } from '../payment-outcome.ts';

export const transactionSchema = z.object({
  id: z.string(),
  kind: z.enum(['purchase', 'bonus', 'usage', 'refund', 'adjustment']),
  amount: display,
  amount_micro: micro,
  balance_after: display,
  balance_after_micro: micro,
  description: z.string(),
  session_id: z.string().nullable(),
  payment_id: z.string().nullable(),
  created_at: z.string(),
  /** On usage: one line per session (a live one as a running line), with what it was and what it cost. */
  session: z
    .object({
      live: z.boolean(),
      tier: z.string(),
      location: z.record(z.string(), z.string()),
      duration_seconds: z.number().int(),
      bytes_up: z.number().int(),
      bytes_down: z.number().int(),
    })
    .nullable()
    .optional(),
});

export const transactionsQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z
      .string()
      .regex(/^\d{1,18}$/, 'a cursor from a previous page')
      .optional(),
    kind: z.enum(['purchase', 'bonus', 'usage', 'refund', 'adjustment']).optional(),
  })
  .strict();

export const transactionsResponseSchema = z.object({
  transactions: z.array(transactionSchema),
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  next_cursor: z.string().nullable(),
});

export const featuresResponseSchema = z.object({
  can_use_country: z.boolean(),
  can_use_city: z.boolean(),
  can_use_state: z.boolean(),
  can_use_isp: z.boolean(),
  balance: display,
  balance_micro: micro,
  rates: z.array(rateSchema.extend({ unlocked: z.boolean() })),
});

export type BalanceResponse = z.infer<typeof balanceResponseSchema>;
export type PackagesResponse = z.infer<typeof packagesResponseSchema>;
export type PurchaseRequest = z.infer<typeof purchaseRequestSchema>;
export type PaymentView = z.infer<typeof paymentSchema>;
export type PaymentsResponse = z.infer<typeof paymentsResponseSchema>;
export type TransactionView = z.infer<typeof transactionSchema>;
export type TransactionsQuery = z.infer<typeof transactionsQuerySchema>;
export type TransactionsResponse = z.infer<typeof transactionsResponseSchema>;
export type FeaturesResponse = z.infer<typeof featuresResponseSchema>;

export const usageQuerySchema = z.object({ days: z.coerce.number().int().min(1).max(90).default(30) }).strict();

/** Credits spent per UTC day, split by the tier of the session that spent them; oldest day first, every day present. */
export const usageResponseSchema = z.object({
  days: z.array(
    z.object({
      date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      country_micro: micro,
      city_micro: micro,
      state_micro: micro,
      isp_micro: micro,
      total: display,
      total_micro: micro,
    }),
  ),
});

export type UsageResponse = z.infer<typeof usageResponseSchema>;
