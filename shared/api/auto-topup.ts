import { z } from 'zod';
import { display, micro } from './amounts.ts';

/** Turning auto top-up on or off: "when the balance falls below 2.00, buy usd_10, at most 50.00 a month". */
export const autoTopupRequestSchema = z
  .object({
    enabled: z.boolean(),
    package_id: z.string().min(1).max(64),
    /** Credits, e.g. "2" or 2.5 (at most 6 decimals). */
    threshold: z.union([z.string().max(32), z.number()]),
    /** In the package's currency, whole subunits (cents). */
    monthly_cap_cents: z.number().int().positive().max(100_000_000),
  })
  .strict();

/** The saved card as the app may see it: never the authorization behind it. */
export const savedCardSchema = z.object({
  brand: z.string(),
  last4: z.string(),
  exp_month: z.number().int(),
  exp_year: z.number().int(),
});

export const topupSchema = z.object({
  status: z.enum(['charging', 'paid', 'declined', 'failed', 'capped']),
  amount_cents: z.number().int(),
  currency: z.string(),
  payment_id: z.string().nullable(),
  detail: z.string().nullable(),
  created_at: z.string(),
});

export const autoTopupResponseSchema = z.object({
  /** Whether this service can charge saved cards at all (Paystack configured). */
  available: z.boolean(),
  enabled: z.boolean(),
  package_id: z.string().nullable(),
  threshold: display.nullable(),
  threshold_micro: micro.nullable(),
  monthly_cap_cents: z.number().int().nullable(),
  spent_this_month_cents: z.number().int(),
  /** Why the service turned it off (a declined card), to tell the user; null otherwise. */
  disabled_reason: z.string().nullable(),
  card: savedCardSchema.nullable(),
  recent: z.array(topupSchema),
});

export type AutoTopupRequest = z.infer<typeof autoTopupRequestSchema>;
export type AutoTopupView = z.infer<typeof autoTopupResponseSchema>;
export type SavedCardView = z.infer<typeof savedCardSchema>;
