import { healthResponseSchema } from '../../../shared/api/health.ts';
import type { App, AppDeps } from '../app-types.ts';
import { responds } from './responses.ts';

export function healthRoutes(app: App, deps: AppDeps): void {
  app.get(
    '/api/health',
    { schema: { tags: ['service'], security: [], response: responds(200, healthResponseSchema) } },
    async () => {
      await deps.db.query('SELECT 1');
      return { status: 'ok' as const, engine: deps.db.engine, time: new Date(deps.clock.now()).toISOString() };
    },
  );
}
