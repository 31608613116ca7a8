import type http from 'node:http';
import net, { type Socket } from 'node:net';
import { RequestError } from 'proxy-chain';
import { forwardStream } from '../../relay/forward-stream.ts';
import { RecyclingReader } from '../../relay/recycling-reader.ts';

// proxy-chain's statuses for an unreachable target (as it answers through an
// upstream exit), so a client reads the same codes whichever exit serves it.
const STATUS_BY_ERROR: Record<string, number> = {
  ENOTFOUND: 593,
  EAI_AGAIN: 593,
  ECONNREFUSED: 594,
  ECONNRESET: 595,
  ETIMEDOUT: 504,
};
const UNREACHABLE = 599;

interface Prepared {
  target: Socket;
  reader: RecyclingReader;
}

/**
 * CONNECT tunnels to the `direct` exit, relayed by the gateway itself once
 * proxy-chain has parsed, authenticated and admitted the request. The target
 * is connected before the client hears 200 (as proxy-chain does), and its
 * reads go through a `RecyclingReader`: the download direction, which carries
 * nearly all the bytes, allocates nothing per chunk. Byte counts are unchanged:
 * the gateway counts the client socket, which proxy-chain still owns.
 */
export class DirectTunnels {
  readonly #prepared = new WeakMap<Socket, Prepared>();
  readonly #dispatch = new net.Server((client) => this.#relay(client));

  /**
   * Goes to proxy-chain as `customConnectServer`: after answering 200 it emits the
   * client socket's 'connection' there, the only thing it does with that server.
   */
  get connectServer(): http.Server {
    return this.#dispatch as http.Server;
  }

  /**
   * Connects to the target for this client socket (names resolved by `lookup`, the
   * egress policy's pinned answer); throws proxy-chain's RequestError when it can't.
   */
  async open(client: Socket, hostname: string, port: number, lookup?: net.LookupFunction): Promise<void> {
    const reader = new RecyclingReader();
    const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
    const target = net.connect({ host, port, onread: reader.onread, ...(lookup && { lookup }) });
    // The client may go (or its session end) while the target is still connecting.
    const dropTarget = () => target.destroy();
    client.once('close', dropTarget);
    // Gone already, while admission or the egress policy's resolution was awaited.
    if (client.destroyed) dropTarget();
    try {
      await new Promise<void>((resolve, reject) => {
        // Dropped before it connected: settle, so the request is not left pending.
        const dropped = () => reject(new Error('the client went away'));
        target.once('close', dropped).once('error', reject);
        target.once('connect', () => {
          // Off once connected: every tunnel closes, and an Error (with its stack) per close was a
          // cost. `reject` stays on 'error' (a no-op now) until the relay's own listener is added.
          target.off('close', dropped);
          resolve();
        });
      });
    } catch (error) {
      client.off('close', dropTarget);
      const code = (error as NodeJS.ErrnoException).code ?? '';
      throw new RequestError(
        `Could not reach ${hostname}:${port} (${code || 'error'})`,
        STATUS_BY_ERROR[code] ?? UNREACHABLE,
      );
    }
    target.on('error', () => client.destroy());
    this.#prepared.set(client, { target, reader });
  }

  /**
   * Answers 200 on a client whose CONNECT the gateway read itself (not through
   * proxy-chain) and whose target `open` connected, then relays; `first` is what
   * the client sent behind its request head.
   */
  accept(client: Socket, first: Buffer): void {
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (first.length > 0) client.unshift(first);
    this.#relay(client);
  }

  #relay(client: Socket): void {
    const prepared = this.#prepared.get(client);
    this.#prepared.delete(client);
    if (!prepared) return void client.destroy();
    const { target, reader } = prepared;
    // A target that hung up before the client heard 200 gets it a clean end, not a hang.
    if (target.destroyed) return void client.end();
    client.on('error', () => target.destroy());
    // What the target sent goes out before the client hears the end.
    target.once('close', () => {
      if (client.writable) client.end();
    });
    forwardStream(client, target);
    reader.pipeTo(target, client);
  }
}
