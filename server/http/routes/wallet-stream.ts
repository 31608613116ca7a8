import { WALLET_STREAM_PATH } from '../../../shared/api/wallet-stream.ts';
import type { App } from '../app-types.ts';
import { principalOf, type Authenticator } from '../auth-hook.ts';
import type { WalletStreamHub } from '../wallet-stream-hub.ts';

/** The wallet as server-sent events: clients listen instead of polling four routes. */
export function walletStreamRoute(app: App, auth: Authenticator, hub: WalletStreamHub): void {
  app.get(
    WALLET_STREAM_PATH,
    {
      onRequest: auth.authenticate,
      schema: {
        tags: ['credits'],
        summary: 'Wallet, live sessions and latest transactions as server-sent `wallet` events (walletEventSchema)',
        produces: ['text/event-stream'],
      },
    },
    async (request, reply) => {
      // The stream outlives this handler: Fastify must not answer or time it out.
      reply.hijack();
      request.raw.socket.setTimeout(0);
      await hub.add(principalOf(request).userId, reply.raw);
    },
  );
}
