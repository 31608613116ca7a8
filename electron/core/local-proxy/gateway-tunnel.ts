import net, { type Socket } from 'node:net';
import { RecyclingReader } from '../../../relay/recycling-reader.ts';
import { GATEWAY_REFUSAL_HEADER, parseRefusal } from '../../../shared/api/gateway.ts';
import { fieldOf, readResponseHead, type ChunkListener } from './response-head.ts';
import type { GatewayRefusalNotice } from './proxy-route.ts';

export type GatewayCredentials = { host: string; port: number; username: string; password: string };

const MAX_REASON_BYTES = 4096;
const REASON_WAIT_MS = 1000;

/** Why a tunnel could not be opened: the gateway said no (status), or could not be reached. */
export class GatewayTunnelError extends Error {
  readonly status: number | undefined;
  readonly refusal: GatewayRefusalNotice | null;

  constructor(message: string, status?: number, refusal: GatewayRefusalNotice | null = null) {
    super(message);
    this.name = 'GatewayTunnelError';
    this.status = status;
    this.refusal = refusal;
  }
}

/**
 * An open tunnel. With `reader`, the socket reads into its recycled buffers
 * (`pipeTo` starts the relay, `rest` first); without, it is a plain socket
 * with `rest` already put back for its next reader.
 */
export interface GatewayTunnel {
  socket: Socket;
  reader: RecyclingReader | undefined;
  /** Bytes from the target that came in behind the gateway's 200. */
  rest: Buffer;
}

/** host:port as a CONNECT target, with IPv6 literals in brackets. */
export function authorityOf(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Reads with `onread` into the reader's buffers, or plainly; `listen` sees what arrives until the relay begins. */
function connectReading(
  { host, port }: { host: string; port: number },
  recycled: boolean,
): { socket: Socket; reader: RecyclingReader | undefined; listen: ChunkListener } {
  const reader = recycled ? new RecyclingReader() : undefined;
  const socket = net.connect({ host, port, ...(reader && { onread: reader.onread }) });
  // With `onread` the socket emits no 'data': the reader's tap sees it instead.
  let current: ((chunk: Buffer) => void) | undefined;
  const listen: ChunkListener = (listener) => {
    if (reader) return reader.tap(listener);
    if (current) socket.off('data', current);
    current = listener;
    if (listener) socket.on('data', listener);
    else socket.pause();
  };
  return { socket, reader, listen };
}

/**
 * Opens a CONNECT tunnel to `target` through the gateway, authenticated as the
 * session. The hostname is passed through, so names resolve on the gateway side.
 * `recycled` tunnels carry bulk downloads without a fresh buffer per read;
 * plain ones come back paused, for Node's HTTP client.
 */
export async function openGatewayTunnel(
  gateway: GatewayCredentials,
  target: { host: string; port: number },
  options: { recycled?: boolean; timeoutMs?: number } = {},
): Promise<GatewayTunnel> {
  const authority = authorityOf(target.host, target.port);
  const credentials = Buffer.from(`${gateway.username}:${gateway.password}`).toString('base64');
  const { socket, reader, listen } = connectReading(gateway, options.recycled ?? false);
  socket.setNoDelay(true);
  socket.write(
    `CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\nProxy-Authorization: Basic ${credentials}\r\n\r\n`,
  );
  let failure: GatewayTunnelError | undefined;
  let fail!: (error: GatewayTunnelError) => void;
  const failed = new Promise<never>((_resolve, reject) => {
    fail = (error) => reject((failure ??= error));
  });
  const ended = () => fail(new GatewayTunnelError('the gateway closed the connection before it answered'));
  socket.setTimeout(options.timeoutMs ?? 10_000, () =>
    fail(new GatewayTunnelError('the gateway did not answer in time')),
  );
  // Stays on: after the 200 the relay adds its own, and a late error must never go unhandled.
  socket.on('error', (error) => fail(new GatewayTunnelError(`the gateway could not be reached: ${error.message}`)));
  socket.once('end', ended);
  failed.catch(() => undefined);
  try {
    const { head, rest } = await Promise.race([
      readResponseHead(listen).catch((error: Error) => {
        throw new GatewayTunnelError(`the gateway sent ${error.message}`);
      }),
      failed,
    ]);
    if (failure) throw failure;
    socket.setTimeout(0);
    // Only ours: the socket's own 'end' handling (ending the write side too) must stay.
    socket.off('end', ended);
    if (head.status === 200) {
      if (!reader && rest.length > 0) socket.unshift(rest);
      return { socket, reader, rest: reader ? rest : Buffer.alloc(0) };
    }
    const refusal = parseRefusal(fieldOf(head, GATEWAY_REFUSAL_HEADER));
    const reason = await readReason(rest, listen, socket);
    throw new GatewayTunnelError(reason || `the gateway answered ${head.status}`, head.status, refusal);
  } catch (error) {
    listen(undefined);
    socket.destroy();
    throw error;
  }
}

/** The gateway's short reason text that follows a refusal, read with a size and time limit. */
function readReason(first: Buffer, listen: ChunkListener, socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    const chunks = [first];
    let size = first.length;
    const done = () => {
      clearTimeout(timer);
      listen(undefined);
      resolve(Buffer.concat(chunks).subarray(0, MAX_REASON_BYTES).toString('utf8').trim());
    };
    const timer = setTimeout(done, REASON_WAIT_MS);
    if (size >= MAX_REASON_BYTES) return done();
    listen((chunk) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= MAX_REASON_BYTES) done();
    });
    socket.once('end', done).once('close', done);
  });
}
