import type { FastifyRequest } from 'fastify';
import { principalOf } from './auth-hook.ts';

/**
 * A route's `config` for @fastify/rate-limit: at most `perMinute` calls a minute
 * per signed-in user, wherever they call from. Its hook runs after the route's
 * `authenticate`, so the user is known and an unsigned call is a 401, not counted.
 */
export function perUserRateLimit(perMinute: number) {
  return {
    rateLimit: {
      max: perMinute,
      timeWindow: 60_000,
      keyGenerator: (request: FastifyRequest) => principalOf(request).userId,
    },
  };
}
