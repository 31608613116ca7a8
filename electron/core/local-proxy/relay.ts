import type { Socket } from 'node:net';

/**
 * Joins the client's connection and its gateway tunnel. `pipe` gives
 * backpressure both ways (a slow reader pauses the other side; nothing is
 * buffered whole). When one side closes, the other is ended after what is
 * already on its way is written; an error on either drops both at once.
 */
export function relay(client: Socket, tunnel: Socket): void {
  client.pipe(tunnel);
  tunnel.pipe(client);
  const endAfterFlush = (other: Socket) => () => {
    if (!other.destroyed) other.end(() => other.destroy());
  };
  client.once('close', endAfterFlush(tunnel));
  tunnel.once('close', endAfterFlush(client));
  client.on('error', () => tunnel.destroy());
  tunnel.on('error', () => client.destroy());
}
