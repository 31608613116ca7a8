import { createHash } from 'node:crypto';
import net, { type AddressInfo, type Socket } from 'node:net';

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Waits until `done` holds, checking every 10 ms. */
export const until = async (done: () => boolean) => {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 10));
};

/** Everything it reads until the far end closes. */
export function readAll(socket: Socket): Promise<Buffer> {
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve) => socket.once('end', () => resolve(Buffer.concat(chunks))));
}

/**
 * Loopback servers and socket pairs for relay tests, all closed by `closeAll`
 * (call it after each test).
 */
export function loopbackSockets() {
  const closers: (() => void)[] = [];

  /** A loopback server running `onSocket` for each connection; resolves with its port. */
  async function serve(onSocket: (socket: Socket) => void): Promise<number> {
    const server = net.createServer(onSocket);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => server.close());
    return (server.address() as AddressInfo).port;
  }

  /** A connected pair of loopback sockets: [the side we hold, the side the server got]. */
  async function socketPair(): Promise<[Socket, Socket]> {
    let accepted!: (socket: Socket) => void;
    const serverSide = new Promise<Socket>((resolve) => (accepted = resolve));
    const port = await serve(accepted);
    const client = net.connect(port, '127.0.0.1');
    const pair: [Socket, Socket] = [client, await serverSide];
    closers.push(() => pair.forEach((s) => s.destroy()));
    return pair;
  }

  return { serve, socketPair, closers, closeAll: () => closers.splice(0).forEach((close) => close()) };
}
