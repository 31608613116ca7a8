import type { z } from 'zod';
import { ipcSchema, type Invoke, type IpcSchema, type Notify } from './schema.ts';
import type { Problem } from './views.ts';

// The window's half (zod-free, so the renderer's bundle carries no schemas) lives in bridge-client.ts.
export { createBridge, IpcError } from './bridge-client.ts';

type Groups = keyof IpcSchema;
type EntryOf<C extends string> = C extends `${infer G extends Groups}.${infer M}`
  ? M extends keyof IpcSchema[G]
    ? IpcSchema[G][M]
    : never
  : never;
type ChannelsOfKind<K> = {
  [G in Groups]: {
    [M in keyof IpcSchema[G] & string]: IpcSchema[G][M] extends K ? `${G}.${M}` : never;
  }[keyof IpcSchema[G] & string];
}[Groups];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyInvoke = Invoke<any, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyNotify = Notify<any>;

export type InvokeChannel = ChannelsOfKind<AnyInvoke>;
export type NotifyChannel = ChannelsOfKind<AnyNotify>;
export type RequestOf<C extends InvokeChannel> = z.input<EntryOf<C>['request']>;
export type ResponseOf<C extends InvokeChannel> = z.output<EntryOf<C>['response']>;
export type EventOf<C extends NotifyChannel> = z.output<EntryOf<C>['event']>;

/** What crosses the wire for a call: the answer, or the error the renderer rethrows. */
export type IpcResult<T = unknown> = { ok: true; value: T } | { ok: false; error: Problem };

/** The core side: one async handler per call channel. */
export type IpcHandlers = {
  [C in InvokeChannel]: (request: z.output<EntryOf<C>['request']>) => Promise<ResponseOf<C>>;
};

/** The core side: what it can tell the window. */
export type IpcEmit = <C extends NotifyChannel>(channel: C, event: EventOf<C>) => void;

/** How a bridge reaches the core: Electron's ipcRenderer, or the headless host's WebSocket. */
export interface IpcTransport {
  invoke(channel: InvokeChannel, payload: unknown): Promise<IpcResult>;
  listen(channel: NotifyChannel, listener: (event: unknown) => void): () => void;
}

type BridgeGroup<G extends Groups> = {
  [
    M in keyof IpcSchema[G] & string as IpcSchema[G][M] extends AnyNotify ? `on${Capitalize<M>}` : M
  ]: IpcSchema[G][M] extends Invoke<infer Req, infer Res>
    ? undefined extends z.input<Req>
      ? (request?: z.input<Req>) => Promise<z.output<Res>>
      : (request: z.input<Req>) => Promise<z.output<Res>>
    : IpcSchema[G][M] extends Notify<infer Ev>
      ? (listener: (event: z.output<Ev>) => void) => () => void
      : never;
};

/** `window.atlantic`: `atlantic.wallet.refresh()`, `atlantic.wallet.onChanged(listener)`, … */
export type AtlanticBridge = { [G in Groups]: BridgeGroup<G> };

export interface ChannelEntry {
  channel: InvokeChannel | NotifyChannel;
  group: string;
  name: string;
  entry: AnyInvoke | AnyNotify;
}

/** Every channel in the contract, generated from it. */
export function ipcChannels(): ChannelEntry[] {
  return Object.entries(ipcSchema).flatMap(([group, entries]) =>
    Object.entries(entries).map(([name, entry]) => ({
      channel: `${group}.${name}` as InvokeChannel | NotifyChannel,
      group,
      name,
      entry: entry as AnyInvoke | AnyNotify,
    })),
  );
}

function problemOf(error: unknown): Problem {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') {
    return { code: error.code, message: error instanceof Error ? error.message : String(error.code) };
  }
  // Anything without a code is a bug in the core: its details stay there, in the log.
  return { code: 'internal_error', message: 'Something went wrong inside Atlantic Proxy.' };
}

const invokeEntries = new Map(
  ipcChannels()
    .filter(({ entry }) => entry.kind === 'invoke')
    .map(({ channel, entry }) => [channel as string, entry as AnyInvoke]),
);

/**
 * The core side of one call, whatever carried it: the channel must be in the
 * contract and the payload must match its schema before a handler sees it.
 */
export async function handleIpc(
  handlers: IpcHandlers,
  channel: unknown,
  payload: unknown,
  onError?: (error: unknown) => void,
): Promise<IpcResult> {
  const entry = typeof channel === 'string' ? invokeEntries.get(channel) : undefined;
  if (!entry) return { ok: false, error: { code: 'unknown_channel', message: `No such call: ${String(channel)}` } };
  const parsed = (entry.request as z.ZodType).safeParse(payload ?? undefined);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || 'request';
    return { ok: false, error: { code: 'invalid_request', message: `${where}: ${issue?.message ?? 'invalid'}` } };
  }
  try {
    const handler = handlers[channel as InvokeChannel] as (request: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    const problem = problemOf(error);
    if (problem.code === 'internal_error') onError?.(error);
    return { ok: false, error: problem };
  }
}
