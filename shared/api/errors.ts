import { z } from 'zod';
import { errorStatus, type ErrorCode } from '../errors.ts';

const codes = Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]];

/** The body of every 4xx and 5xx response. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(codes),
    message: z.string(),
    details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
