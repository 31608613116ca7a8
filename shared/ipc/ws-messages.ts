import { z } from 'zod';
import type { IpcResult } from './bridge.ts';

export { WS_BRIDGE_PATH } from './ws-path.ts';

/**
 * The headless host's bridge: the same IPC contract as Electron's preload,
 * carried over one WebSocket as JSON text frames.
 */

/** Renderer → host: one call; `id` pairs it with its reply. */
export const wsCallSchema = z.object({
  id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  channel: z.string().max(64),
  payload: z.unknown().optional(),
});
export type WsCall = z.infer<typeof wsCallSchema>;

/** Host → renderer: the answer to call `id`; `id` is null when the message could not be read at all. */
export interface WsReply {
  id: number | null;
  result: IpcResult;
}

/** Host → renderer: an event of the contract (`wallet.changed`, …). */
export interface WsEvent {
  event: string;
  payload: unknown;
}

export type WsHostMessage = WsReply | WsEvent;
