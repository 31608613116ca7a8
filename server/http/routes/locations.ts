import { locationsResponseSchema } from '../../../shared/api/locations.ts';
import type { App, AppDeps } from '../app-types.ts';
import type { Authenticator } from '../auth-hook.ts';
import { responds } from './responses.ts';

export function locationRoutes(app: App, deps: AppDeps, auth: Authenticator): void {
  app.get(
    '/api/locations',
    { onRequest: auth.authenticate, schema: { tags: ['proxy'], response: responds(200, locationsResponseSchema) } },
    async () => ({ exit: deps.exits.exit, countries: [...deps.exits.catalog] }),
  );
}
