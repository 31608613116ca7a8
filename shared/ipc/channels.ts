import type { InvokeChannel, NotifyChannel } from './bridge.ts';

/**
 * Every channel of the contract and its kind, as plain data: what the window
 * needs to build `window.atlantic` without loading the zod schemas (the core
 * validates; the window only calls). The types hold it to `ipcSchema`: a channel
 * missing, extra or of the wrong kind does not compile, and a test compares it
 * with `ipcChannels()`.
 */
export const IPC_CHANNELS = {
  'app.state': 'invoke',
  'app.infoChanged': 'notify',
  'app.notice': 'notify',
  'wallet.refresh': 'invoke',
  'wallet.changed': 'notify',
  'credits.packages': 'invoke',
  'credits.purchase': 'invoke',
  'credits.payment': 'invoke',
  'credits.paymentChanged': 'notify',
  'credits.payments': 'invoke',
  'credits.receipt': 'invoke',
  'autoTopup.get': 'invoke',
  'autoTopup.set': 'invoke',
  'autoTopup.removeCard': 'invoke',
  'credits.transactions': 'invoke',
  'credits.exportCsv': 'invoke',
  'credits.usage': 'invoke',
  'proxy.sessions': 'invoke',
  'locations.list': 'invoke',
  'connection.connect': 'invoke',
  'connection.disconnect': 'invoke',
  'connection.reconnect': 'invoke',
  'connection.changed': 'notify',
  'settings.update': 'invoke',
  'settings.changed': 'notify',
  'desktop.changed': 'notify',
  'desktop.restartToUpdate': 'invoke',
  'account.signIn': 'invoke',
  'account.signOut': 'invoke',
  'account.useEmbedded': 'invoke',
} as const satisfies { [C in InvokeChannel]: 'invoke' } & { [C in NotifyChannel]: 'notify' };

export type IpcChannel = keyof typeof IPC_CHANNELS;
