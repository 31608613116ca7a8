import type { Socket } from 'node:net';
import { forwardStream } from '../../../relay/forward-stream.ts';
import type { GatewayTunnel } from './gateway-tunnel.ts';

/**
 * Joins the client's connection and its gateway tunnel, with backpressure both
 * ways (a slow reader pauses the other side; nothing is buffered whole). The
 * download direction, which carries nearly all the bytes, goes through the
 * tunnel's recycled-buffer reader when it has one. When one side closes, the
 * other is ended after what is already on its way is written; an error on
 * either drops both at once.
 */
export function relay(client: Socket, tunnel: GatewayTunnel): void {
  const { socket, reader, rest } = tunnel;
  forwardStream(client, socket);
  if (reader) reader.pipeTo(socket, client, rest);
  else forwardStream(socket, client);
  const endAfterFlush = (other: Socket) => () => {
    if (!other.destroyed) other.end(() => other.destroy());
  };
  client.once('close', endAfterFlush(socket));
  socket.once('close', endAfterFlush(client));
  client.on('error', () => socket.destroy());
  socket.on('error', () => client.destroy());
}
