import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ClientCore } from '../core/client-core-types.ts';

// Running a wallet down takes tens of simulated hours; a week covers every journey.
const MAX_ADVANCE_MS = 7 * 24 * 3_600_000;
const advanceSchema = z.object({ ms: z.number().int().positive().max(MAX_ADVANCE_MS) }).strict();

/**
 * POST /test/clock/advance {ms}: moves the embedded billing's clock and answers
 * with the wallet snapshot after it. It exists so the end-to-end tests can watch
 * a minute be charged, or a balance run out, without waiting in real time. The
 * host registers it only when started with --test-clock; without the flag the
 * route is absent (404) and nothing can move time.
 */
export function registerTestClockRoute(app: FastifyInstance, core: ClientCore): void {
  app.post('/test/clock/advance', async (request, reply) => {
    const body = advanceSchema.safeParse(request.body);
    if (!body.success) {
      return reply
        .code(400)
        .send({ error: { code: 'invalid_request', message: 'Expected {ms}: a positive integer.' } });
    }
    if (!core.testClock) {
      return reply
        .code(409)
        .send({ error: { code: 'test_clock_unavailable', message: 'Billing is not running with a test clock.' } });
    }
    await core.testClock.advance(body.data.ms);
    return core.handlers['wallet.refresh'](undefined);
  });
}
