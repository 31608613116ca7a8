import type { IpcHandlers } from '../../../shared/ipc/bridge.ts';
import type { Core } from '../client-core.ts';
import { allTransactions, transactionsCsv } from './transactions-csv.ts';

/** Every call of the IPC contract, answered by the core (payloads are already validated by handleIpc). */
export function coreHandlers(core: Core): IpcHandlers {
  return {
    'app.state': async () => ({
      info: core.info(),
      settings: core.settings,
      wallet: core.wallet.snapshot,
      connection: core.connection(),
      desktop: core.desktop(),
    }),
    'wallet.refresh': () => core.wallet.refreshNow(),
    'credits.packages': () => core.billing().packages(),
    'credits.purchase': (request) => core.purchase(request),
    'credits.payment': async ({ payment_id }) => {
      const payment = await core.billing().payment(payment_id);
      // Answered after the wallet, as the payment event is: "paid" never shows beside the old balance.
      if (payment.status !== 'pending') await core.wallet.refreshNow().catch(() => undefined);
      return payment;
    },
    'credits.receipt': async ({ payment_id }) => ({
      filename: `atlantic-receipt-${payment_id}.html`,
      html: await core.billing().receipt(payment_id),
    }),
    'credits.payments': (query) => core.billing().payments(query?.limit),
    'credits.transactions': (query) => core.billing().transactions(query ?? {}),
    'credits.exportCsv': async ({ kind }) => {
      const billing = core.billing();
      const transactions = await allTransactions((query) => billing.transactions(query), kind);
      const day = new Date().toISOString().slice(0, 10);
      return {
        filename: `atlantic-transactions${kind ? `-${kind}` : ''}-${day}.csv`,
        csv: transactionsCsv(transactions),
      };
    },
    'credits.usage': (query) => core.billing().usage(query?.days),
    'autoTopup.get': () => core.billing().autoTopup(),
    'autoTopup.set': (request) => core.billing().setAutoTopup(request),
    'autoTopup.removeCard': () => core.billing().removeSavedCard(),
    'proxy.sessions': async (query) => ({ sessions: await core.billing().sessions(query ?? {}) }),
    'locations.list': () => core.billing().locations(),
    'connection.connect': (targeting) => core.connect(targeting),
    'connection.disconnect': () => core.disconnect(),
    'connection.reconnect': (targeting) => core.reconnect(targeting),
    'settings.update': (update) => core.updateSettings(update),
    'desktop.restartToUpdate': async () => {
      core.restartToUpdate();
      return core.desktop();
    },
    'account.signIn': (request) => core.signIn(request),
    'account.signOut': () => core.signOut(),
    'account.useEmbedded': () => core.useEmbedded(),
  };
}
