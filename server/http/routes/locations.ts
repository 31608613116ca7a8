import { locationsResponseSchema } from '../../../shared/api/locations.ts';
import type { App, AppDeps } from '../app-types.ts';
import type { Authenticator } from '../auth-hook.ts';
import { responds } from './responses.ts';

export function locationRoutes(app: App, deps: AppDeps, auth: Authenticator): void {
  app.get(
    '/api/locations',
    { onRequest: auth.authenticate, schema: { tags: ['proxy'], response: responds(200, locationsResponseSchema) } },
    async () => ({
      exit: {
        kind: 'direct' as const,
        description: 'Traffic exits from the machine running the gateway (this computer in embedded mode).',
      },
      countries: [...deps.catalog],
    }),
  );
}
