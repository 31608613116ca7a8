import { z } from 'zod';

export const cityListSchema = z.array(z.string());

export const countrySchema = z.object({
  code: z.string().length(2),
  name: z.string(),
  states: z.array(z.object({ name: z.string(), cities: cityListSchema })),
  isps: z.array(z.string()),
});

export const locationsResponseSchema = z.object({
  /** Who carries the traffic: this machine (`direct`) or the operator's upstream supply. */
  exit: z.object({
    kind: z.enum(['direct', 'upstream']),
    description: z.string(),
    /** Whether a rotating session gets a new exit identity per connection (the direct exit has only one). */
    can_rotate: z.boolean().optional(),
  }),
  countries: z.array(countrySchema),
});

export type CountryView = z.infer<typeof countrySchema>;
export type LocationsResponse = z.infer<typeof locationsResponseSchema>;
