import { z } from 'zod';
import { balanceResponseSchema, featuresResponseSchema, transactionSchema } from '../api/credits.ts';
import { userSchema } from '../api/auth.ts';
import { sessionSchema } from '../api/proxy.ts';
import { targetingSchema } from '../targeting.ts';

/** A failure the user should see, with the code the service or core gave it. */
export const problemSchema = z.object({ code: z.string(), message: z.string() });

/**
 * The connection as the window and tray show it. The same states as the core's
 * connection manager, without the gateway credentials (the renderer never needs them).
 */
export const connectionViewSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('disconnected'),
    problem: problemSchema.optional(),
    /** The session the user just disconnected. */
    disconnected: sessionSchema.optional(),
  }),
  z.object({
    status: z.literal('connecting'),
    targeting: targetingSchema,
    /** A live session whose heartbeats fail: same session, retried with backoff. */
    reconnecting: z.boolean(),
    session: sessionSchema.optional(),
    attempt: z.number().int().optional(),
    retry_in_ms: z.number().int().optional(),
    problem: problemSchema.optional(),
  }),
  z.object({ status: z.literal('connected'), targeting: targetingSchema, session: sessionSchema }),
  z.object({ status: z.literal('disconnecting'), session: sessionSchema }),
  z.object({
    status: z.literal('ended'),
    reason: z.string(),
    message: z.string(),
    session: sessionSchema.nullable(),
  }),
]);

/**
 * What the wallet sync last learned from the billing service. `fetched_at` is
 * when; `offline` says the latest refresh failed, so the UI shows this
 * snapshot with its age. Everything is null before the first answer.
 */
export const walletSnapshotSchema = z.object({
  balance: balanceResponseSchema.nullable(),
  features: featuresResponseSchema.nullable(),
  active_session: sessionSchema.nullable(),
  recent_transactions: z.array(transactionSchema),
  fetched_at: z.string().nullable(),
  offline: z.boolean(),
  problem: problemSchema.nullable(),
});

export const settingsSchema = z.object({
  /** null: embedded billing on this machine; otherwise the remote billing service. */
  server_url: z.url({ protocol: /^https?$/ }).nullable(),
  local_proxy_port: z.number().int().min(1024).max(65535),
  start_at_login: z.boolean(),
  notifications: z.boolean(),
  /** What Connect in the tray uses. */
  last_location: targetingSchema.nullable(),
  /** Point the operating system's proxy at the local proxy while connected. */
  system_proxy: z.boolean(),
  /** Connect to the last location when the app starts signed in. */
  auto_connect: z.boolean(),
});

export const settingsUpdateSchema = settingsSchema.omit({ server_url: true }).partial().strict();

export const appInfoSchema = z.object({
  mode: z.enum(['embedded', 'remote']),
  /** The billing service the app talks to. */
  server_url: z.string(),
  signed_in: z.boolean(),
  account: userSchema.nullable(),
  /** The loopback proxy apps point at; `problem` when its port could not be opened. */
  local_proxy: z.object({
    host: z.string(),
    port: z.number().int(),
    http_url: z.string(),
    socks_url: z.string(),
    problem: problemSchema.nullable(),
  }),
  version: z.string(),
});

export const noticeSchema = z.object({
  kind: z.enum([
    'low_credit_15',
    'low_credit_5',
    'session_ended',
    'auto_connect_failed',
    'billing_restart',
    'auto_topup_off',
  ]),
  title: z.string(),
  body: z.string(),
});

/**
 * Whether the operating system's proxy points at the local proxy: `unsupported`
 * on a Linux desktop that is neither GNOME nor KDE (the message says so),
 * `failed` when the platform refused (the message says why).
 */
export const systemProxyStatusSchema = z.object({
  state: z.enum(['off', 'on', 'unsupported', 'failed']),
  /** 'Windows', 'macOS', 'GNOME', 'KDE Plasma'; null where there is none. */
  desktop: z.string().nullable(),
  message: z.string().nullable(),
});

/**
 * The desktop app's updates: `disabled` without a feed (and in the headless
 * host), `downloading` with its percent, `ready` once the new version waits
 * for "Restart to update", which is refused while a session is live.
 */
export const updateStatusSchema = z.object({
  state: z.enum(['disabled', 'idle', 'checking', 'downloading', 'ready', 'failed']),
  /** The version on offer (downloading or ready). */
  version: z.string().nullable(),
  percent: z.number().min(0).max(100).nullable(),
  message: z.string().nullable(),
});

/** The app's place on this computer: its system proxy and, in the desktop app, its updates. */
export const desktopStatusSchema = z.object({
  system_proxy: systemProxyStatusSchema,
  update: updateStatusSchema,
});

/** Everything the window needs on first paint, in one call. */
export const appStateSchema = z.object({
  info: appInfoSchema,
  settings: settingsSchema,
  wallet: walletSnapshotSchema,
  connection: connectionViewSchema,
  desktop: desktopStatusSchema,
});

/** A session the service is charging for: connecting, connected or disconnecting (not yet ended). */
export function isLiveConnection(view: { status: ConnectionView['status'] }): boolean {
  return view.status !== 'disconnected' && view.status !== 'ended';
}

export type Problem = z.infer<typeof problemSchema>;
export type ConnectionView = z.infer<typeof connectionViewSchema>;
export type WalletSnapshot = z.infer<typeof walletSnapshotSchema>;
export type Settings = z.infer<typeof settingsSchema>;
export type SettingsUpdate = z.infer<typeof settingsUpdateSchema>;
export type AppInfo = z.infer<typeof appInfoSchema>;
export type Notice = z.infer<typeof noticeSchema>;
export type AppState = z.infer<typeof appStateSchema>;
export type SystemProxyStatus = z.infer<typeof systemProxyStatusSchema>;
export type DesktopStatus = z.infer<typeof desktopStatusSchema>;
export type UpdateStatus = z.infer<typeof updateStatusSchema>;
