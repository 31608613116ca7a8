import { z } from 'zod';
import type { CardAuthorization } from './saved-cards.ts';

// Paystack's `authorization` object on a successful card transaction (verify and charge.success).
const authorization = z.object({
  authorization_code: z.string().min(1).max(100),
  reusable: z.boolean(),
  channel: z.string().optional(),
  brand: z.string().optional(),
  card_type: z.string().optional(),
  last4: z.string().regex(/^\d{4}$/),
  exp_month: z.coerce.number().int().min(1).max(12),
  exp_year: z.coerce.number().int().min(2000).max(2200),
});

/** The card to save from a transaction's `authorization`: only a reusable card one, else undefined. */
export function reusableCardOf(value: unknown): CardAuthorization | undefined {
  const parsed = authorization.safeParse(value);
  if (!parsed.success || !parsed.data.reusable || (parsed.data.channel ?? 'card') !== 'card') return undefined;
  const a = parsed.data;
  return {
    authorizationCode: a.authorization_code,
    brand: (a.brand ?? a.card_type ?? 'card').trim().toLowerCase().slice(0, 40),
    last4: a.last4,
    expMonth: a.exp_month,
    expYear: a.exp_year,
  };
}
