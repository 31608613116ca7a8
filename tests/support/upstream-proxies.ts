import net, { type AddressInfo } from 'node:net';
import { Server } from 'proxy-chain';
import { acceptSocksConnect, SocksReply, socksReply } from '../../electron/core/local-proxy/socks5.ts';

export interface RecordingUpstream {
  /** host:port */
  address: string;
  port: number;
  /** Every request it carried: the username the gateway sent and the target. */
  seen: { username: string; password: string; target: string }[];
  close(): Promise<void>;
}

/** A wholesale provider stand-in: an HTTP proxy that notes who asked for what, then connects directly. */
export async function startRecordingHttpUpstream(): Promise<RecordingUpstream> {
  const seen: RecordingUpstream['seen'] = [];
  const server = new Server({
    host: '127.0.0.1',
    port: 0,
    prepareRequestFunction: ({ username, password, hostname, port }) => {
      seen.push({ username, password, target: `${hostname}:${port}` });
      return {};
    },
  });
  await server.listen();
  return { address: `127.0.0.1:${server.port}`, port: server.port, seen, close: () => server.close(true) };
}

/** The same over SOCKS5 (no authentication), built on the client core's handshake. */
export async function startRecordingSocksUpstream(): Promise<RecordingUpstream> {
  const seen: RecordingUpstream['seen'] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer(async (client) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    try {
      const { host, port } = await acceptSocksConnect(client);
      seen.push({ username: '', password: '', target: `${host}:${port}` });
      const target = net.connect(port, host, () => {
        client.write(socksReply(SocksReply.succeeded));
        client.pipe(target).pipe(client);
      });
      target.on('error', () => client.end(socksReply(SocksReply.hostUnreachable)));
      client.once('close', () => target.destroy());
    } catch {
      // handshake refused and answered
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    address: `127.0.0.1:${port}`,
    port,
    seen,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
