import { z } from 'zod';
import { credentialsSchema } from '../api/auth.ts';
import { autoTopupRequestSchema, autoTopupResponseSchema } from '../api/auto-topup.ts';
import {
  packagesResponseSchema,
  paymentSchema,
  paymentsQuerySchema,
  paymentsResponseSchema,
  transactionsQuerySchema,
  transactionsResponseSchema,
  usageQuerySchema,
  usageResponseSchema,
} from '../api/credits.ts';
import { locationsResponseSchema } from '../api/locations.ts';
import { connectRequestSchema, sessionsQuerySchema, sessionsResponseSchema } from '../api/proxy.ts';
import {
  appInfoSchema,
  appStateSchema,
  connectionViewSchema,
  desktopStatusSchema,
  noticeSchema,
  settingsSchema,
  settingsUpdateSchema,
  walletSnapshotSchema,
} from './views.ts';

/** A call from the renderer that the core answers. */
export interface Invoke<Req extends z.ZodType, Res extends z.ZodType> {
  kind: 'invoke';
  request: Req;
  response: Res;
}

/** Something the core tells the renderer without being asked. */
export interface Notify<Ev extends z.ZodType> {
  kind: 'notify';
  event: Ev;
}

const invoke = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res): Invoke<Req, Res> => ({
  kind: 'invoke',
  request,
  response,
});
const notify = <Ev extends z.ZodType>(event: Ev): Notify<Ev> => ({ kind: 'notify', event });
const none = z.undefined();

/**
 * The whole window ↔ core contract, once. Electron's preload and the headless
 * host's WebSocket bridge both expose exactly this as `window.atlantic`; the
 * channel of `wallet.refresh` is the string 'wallet.refresh'.
 */
export const ipcSchema = {
  app: {
    state: invoke(none, appStateSchema),
    infoChanged: notify(appInfoSchema),
    notice: notify(noticeSchema),
  },
  wallet: {
    refresh: invoke(none, walletSnapshotSchema),
    changed: notify(walletSnapshotSchema),
  },
  credits: {
    packages: invoke(none, packagesResponseSchema),
    /** Starts a purchase and opens its checkout in the system browser. */
    purchase: invoke(
      z.object({ package_id: z.string().min(1).max(64), method: z.string().min(1).max(32).optional() }).strict(),
      paymentSchema,
    ),
    payment: invoke(z.object({ payment_id: z.uuid() }).strict(), paymentSchema),
    paymentChanged: notify(paymentSchema),
    /** A paid payment's printable receipt (HTML from the service), to save as a file. */
    receipt: invoke(z.object({ payment_id: z.uuid() }).strict(), z.object({ filename: z.string(), html: z.string() })),
    /** Every order, newest first, with its package and how it ended. */
    payments: invoke(paymentsQuerySchema.partial().optional(), paymentsResponseSchema),
    transactions: invoke(transactionsQuerySchema.partial().optional(), transactionsResponseSchema),
    /** Every transaction (optionally of one kind) as CSV, newest first. */
    exportCsv: invoke(
      transactionsQuerySchema.pick({ kind: true }).strict(),
      z.object({ filename: z.string(), csv: z.string() }),
    ),
    usage: invoke(usageQuerySchema.partial().optional(), usageResponseSchema),
  },
  autoTopup: {
    /** Auto top-up's settings, the saved card (brand, last 4, expiry) and recent top-ups. */
    get: invoke(none, autoTopupResponseSchema),
    set: invoke(autoTopupRequestSchema, autoTopupResponseSchema),
    removeCard: invoke(none, autoTopupResponseSchema),
  },
  proxy: {
    sessions: invoke(sessionsQuerySchema.partial().optional(), sessionsResponseSchema),
  },
  locations: {
    list: invoke(none, locationsResponseSchema),
  },
  connection: {
    /** Where to exit, and sticky (with its lifetime) or rotating. */
    connect: invoke(connectRequestSchema, connectionViewSchema),
    disconnect: invoke(none, connectionViewSchema),
    /** Applies a new location to a live connection: ends the session (charged to the second), starts the new one. */
    reconnect: invoke(connectRequestSchema, connectionViewSchema),
    changed: notify(connectionViewSchema),
  },
  settings: {
    update: invoke(settingsUpdateSchema, settingsSchema),
    changed: notify(settingsSchema),
  },
  desktop: {
    changed: notify(desktopStatusSchema),
    /** Quits and installs the downloaded update; refused (`session_live`) while a session is live. */
    restartToUpdate: invoke(none, desktopStatusSchema),
  },
  account: {
    /** Points the app at a remote billing service and signs in (or registers) there. */
    signIn: invoke(
      credentialsSchema
        .extend({ server_url: z.url({ protocol: /^https?$/ }), register: z.boolean().optional() })
        .strict(),
      appInfoSchema,
    ),
    signOut: invoke(none, appInfoSchema),
    /** Back to the billing service embedded on this machine. */
    useEmbedded: invoke(none, appInfoSchema),
  },
} as const;

export type IpcSchema = typeof ipcSchema;
