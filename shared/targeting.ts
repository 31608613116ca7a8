import { z } from 'zod';
import { AppError } from './errors.ts';

/** How precisely a session's exit is targeted. Country is required; the rest narrow it. */
export const targetingSchema = z
  .object({
    country: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{2}$/, 'a country is its two-letter code, such as "us" or "de"'),
    state: z.string().trim().min(1).max(100).optional(),
    city: z.string().trim().min(1).max(100).optional(),
    isp: z.string().trim().min(1).max(100).optional(),
  })
  .strict();

export type Targeting = z.infer<typeof targetingSchema>;

/** Parses untrusted targeting, normalising the country code to lower case. */
export function parseTargeting(input: unknown): Targeting {
  const result = targetingSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.join('.') || 'targeting';
    throw new AppError('invalid_targeting', `That location can't be used (${where}: ${issue?.message ?? 'invalid'}).`, {
      field: where,
    });
  }
  return { ...result.data, country: result.data.country.toLowerCase() };
}

/** Whether two choices target the same exit (country case aside): a change while connected needs Reconnect. */
export function sameTargeting(a: Targeting, b: Targeting): boolean {
  return (
    a.country.toLowerCase() === b.country.toLowerCase() && a.state === b.state && a.city === b.city && a.isp === b.isp
  );
}
