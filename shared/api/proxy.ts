import { z } from 'zod';
import { sessionModeSchema, stickyMinutesSchema } from '../session-mode.ts';
import { targetingSchema } from '../targeting.ts';
import { display, micro } from './amounts.ts';

/** Where to exit, and how the exit identity behaves (default: sticky, 10 minutes). */
export const connectRequestSchema = targetingSchema.extend({
  session_mode: sessionModeSchema.optional(),
  sticky_minutes: stickyMinutesSchema.optional(),
});

export const sessionRefSchema = z.object({ session_id: z.uuid() }).strict();

export const sessionSchema = z.object({
  id: z.uuid(),
  status: z.enum(['active', 'ended']),
  targeting: z.object({
    country: z.string(),
    state: z.string().optional(),
    city: z.string().optional(),
    isp: z.string().optional(),
  }),
  tier: z.enum(['country', 'city', 'state', 'isp']),
  rate_per_hour: display,
  rate_per_hour_micro: micro,
  started_at: z.string(),
  ended_at: z.string().nullable(),
  end_reason: z.string().nullable(),
  /** Charged so far (the worker charges every minute). */
  cost: display,
  cost_micro: micro,
  duration_seconds: z.number().int(),
  /** For a live session: how long the balance lasts at this session's rate. */
  seconds_remaining: z.number().int().nullable(),
  bytes_up: z.number().int(),
  bytes_down: z.number().int(),
  /** Sticky (one exit identity per lifetime) or rotating (a new one per connection); same price. */
  session_mode: sessionModeSchema.optional(),
  /** A sticky session's identity lifetime in minutes; null for rotating. */
  sticky_minutes: z.number().int().nullable().optional(),
});

export const connectResponseSchema = z.object({
  session: sessionSchema,
  /** Where the client's local proxy forwards, with this session's own credentials. */
  gateway: z.object({ host: z.string(), port: z.number().int(), username: z.string(), password: z.string() }),
  session_mode: sessionModeSchema.optional(),
  /** A sticky session's identity lifetime; null for rotating. */
  sticky_minutes: z.number().int().nullable().optional(),
});

export const sessionResponseSchema = z.object({ session: sessionSchema });

export const sessionsQuerySchema = z
  .object({
    status: z.enum(['active', 'ended']).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

export const sessionsResponseSchema = z.object({ sessions: z.array(sessionSchema) });

export type ConnectRequest = z.infer<typeof connectRequestSchema>;
export type SessionView = z.infer<typeof sessionSchema>;
export type ConnectResponse = z.infer<typeof connectResponseSchema>;
export type SessionsResponse = z.infer<typeof sessionsResponseSchema>;
