import { ConnectionManager, type ConnectionManagerOptions } from './connection/connection-manager.ts';
import { routeOfState } from './connection/route-of-state.ts';
import { LocalProxy } from './local-proxy/local-proxy.ts';

export interface ProxyClient {
  manager: ConnectionManager;
  proxy: LocalProxy;
  /** The local proxy's port on 127.0.0.1. */
  port: number;
  close(): Promise<void>;
}

/**
 * The connection manager and the local proxy, wired together: the proxy
 * forwards while the manager has a live session and drops its tunnels the
 * moment it has none; a gateway refusal makes the manager check the session now.
 */
export async function startProxyClient(options: ConnectionManagerOptions & { port: number }): Promise<ProxyClient> {
  const manager = new ConnectionManager(options);
  const proxy = new LocalProxy({
    port: options.port,
    route: () => routeOfState(manager.state),
    onGatewayRefused: () => void manager.checkNow(),
  });
  let forwarding = false;
  manager.subscribe((state) => {
    const route = routeOfState(state);
    if (forwarding && 'refusal' in route) proxy.closeTunnels();
    forwarding = 'gateway' in route;
  });
  const port = await proxy.start();
  return {
    manager,
    proxy,
    port,
    close: async () => {
      manager.dispose();
      await proxy.close();
    },
  };
}
