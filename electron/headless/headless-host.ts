import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ClientCore } from '../core/client-core-types.ts';
import { newAccessToken, presentedToken, tokenCookie, tokenMatches } from './access-token.ts';
import { headlessCoreHost } from './headless-core-host.ts';
import { DEFAULT_HEADLESS_PORT, type HeadlessHost, type HeadlessHostOptions } from './host-types.ts';
import { registerTestClockRoute } from './test-clock-route.ts';
import { attachBridge } from './ws-bridge.ts';

// Only loopback: the token keeps other local users' browsers out, the address keeps the network out.
const HOST = '127.0.0.1';

/** The renderer is built by `npm run build:renderer`; the host serves it and builds nothing. */
export class RendererMissingError extends Error {
  readonly code = 'renderer_missing';

  constructor(dir: string) {
    super(`No built renderer in ${dir} (index.html is missing): run \`npm run build:renderer\` first.`);
    this.name = 'RendererMissingError';
  }
}

/**
 * The client core without Electron: the built renderer over HTTP and the IPC
 * contract over a WebSocket, on loopback, behind a random token.
 */
export async function startHeadlessHost(options: HeadlessHostOptions): Promise<HeadlessHost> {
  const rendererDir = resolve(options.rendererDir);
  if (!existsSync(join(rendererDir, 'index.html'))) throw new RendererMissingError(rendererDir);
  const core = await options.createCore(headlessCoreHost(options.log));
  try {
    return await serve(core, rendererDir, options);
  } catch (error) {
    await core.quit();
    throw error;
  }
}

async function serve(core: ClientCore, rendererDir: string, options: HeadlessHostOptions): Promise<HeadlessHost> {
  const token = newAccessToken();
  // Known once listening (port 0 picks one); the hooks only run after that.
  let port = 0;
  const app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: 16 * 1024 });
  guardWithToken(app, token, () => port);
  await app.register(fastifyStatic, {
    root: rendererDir,
    // Assets are content-hashed by vite; the page itself must always be the current build.
    setHeaders: (reply, path) => {
      if (path.endsWith('.html')) reply.header('cache-control', 'no-store');
    },
  });
  app.setNotFoundHandler((_request, reply) => {
    void reply.code(404).send({ error: { code: 'not_found', message: 'No such page.' } });
  });
  if (options.testClock) registerTestClockRoute(app, core);

  await app.listen({ host: HOST, port: options.port ?? DEFAULT_HEADLESS_PORT });
  port = (app.server.address() as AddressInfo).port;
  const bridge = attachBridge(app.server, {
    core,
    log: options.log,
    authorized: (request) => tokenMatches(token, presentedToken(request.url, request.headers.cookie, port).token),
  });

  let closing: Promise<void> | undefined;
  return {
    url: `http://${HOST}:${port}/?token=${token}`,
    token,
    port,
    close: () =>
      (closing ??= (async () => {
        try {
          await core.quit();
        } finally {
          await bridge.close();
          await app.close();
        }
      })()),
  };
}

/**
 * Every request carries the token: in the address the host printed, or in the
 * cookie that address's first answer sets, so the page's own asset and
 * WebSocket requests carry it without the script ever seeing it (HttpOnly).
 */
function guardWithToken(app: FastifyInstance, token: string, port: () => number): void {
  app.addHook('onRequest', async (request, reply) => {
    const presented = presentedToken(request.raw.url, request.headers.cookie, port());
    if (!tokenMatches(token, presented.token)) {
      await reply.code(401).send({
        error: { code: 'unauthorized', message: 'Open the address the headless host printed, token included.' },
      });
      return reply;
    }
    if (presented.inQuery) reply.header('set-cookie', tokenCookie(port(), token));
  });
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
  });
}
