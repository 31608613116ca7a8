import type { AddressInfo, Server } from 'node:net';
import { LocalProxy } from '../../electron/core/local-proxy/local-proxy.ts';
import { startRecordingHttpUpstream } from './upstream-proxies.ts';

/** What a test closes after itself, last opened first. */
export type Closers = (() => Promise<void> | void)[];

/** Listens on a free loopback port, closed with the test; resolves with the port. */
export async function listenLoopback(server: Server, closers: Closers): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

/** The client core's local proxy in front of an HTTP proxy standing in for the gateway; its port. */
export async function localProxyThroughStandIn(closers: Closers): Promise<number> {
  const gateway = await startRecordingHttpUpstream();
  closers.push(() => gateway.close());
  const proxy = new LocalProxy({
    port: 0,
    route: () => ({ gateway: { host: '127.0.0.1', port: gateway.port, username: 'session', password: 'secret' } }),
  });
  closers.push(() => proxy.close());
  return proxy.start();
}
