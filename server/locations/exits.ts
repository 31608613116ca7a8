import { z } from 'zod';

/** The location an exit serves. Country is required; the rest narrow it. */
export const exitTagsSchema = z
  .object({
    country: z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'an ISO 3166-1 alpha-2 country code')
      .transform((c) => c.toLowerCase()),
    state: z.string().trim().min(1).max(100).optional(),
    city: z.string().trim().min(1).max(100).optional(),
    isp: z.string().trim().min(1).max(100).optional(),
  })
  .strict();

export const PLACEHOLDERS = ['country', 'state', 'city', 'isp', 'session'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** `direct` leaves from the gateway's own machine; otherwise an upstream proxy URL, maybe templated. */
export const exitUrlSchema = z
  .string()
  .refine((url) => url === 'direct' || /^(http|socks5):\/\//.test(url), 'direct, http://… or socks5://…');

export const exitSchema = z
  .object({
    id: z.string().trim().min(1).max(64),
    url: exitUrlSchema,
    tags: exitTagsSchema,
  })
  .strict();

export type ExitTags = z.infer<typeof exitTagsSchema>;
export type Exit = z.infer<typeof exitSchema>;
