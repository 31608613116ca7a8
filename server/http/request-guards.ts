import { AppError } from '../../shared/errors.ts';
import type { App } from './app-types.ts';

// No URL of this API comes near these; anything longer is refused before routing.
export const MAX_URL_LENGTH = 4096;
/** The longest path parameter (ids are 36 characters); Fastify's `maxParamLength`. */
export const MAX_PARAM_LENGTH = 100;

/**
 * Checks every request (routes, not-found and all) before anything else runs:
 * the service is not closing, the URL is short and holds no NUL, HTTP/1.1 names its host.
 * Also, while closing, every answer says `Connection: close`.
 */
export function installRequestGuards(app: App): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });

  app.addHook('onRequest', async (request) => {
    if (closing) throw new AppError('service_unavailable', 'the service is restarting; try again in a moment');
    const url = request.raw.url ?? '';
    if (url.length > MAX_URL_LENGTH) {
      throw new AppError('uri_too_long', `the URL is longer than ${MAX_URL_LENGTH} characters`);
    }
    // A NUL reaching PostgreSQL as text is an error there; refuse it here, whatever the route.
    if (/%00/i.test(url)) throw new AppError('invalid_input', 'the URL may not contain NUL (%00)');
    // Node would answer this itself with an empty 400; it is left to us (see app.ts) to answer in the shape.
    if (request.raw.httpVersion === '1.1' && !request.headers.host) {
      throw new AppError('malformed_request', 'an HTTP/1.1 request must name its Host');
    }
  });

  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
}
