import type { ConnectionView, Settings, SystemProxyStatus } from '../../../shared/ipc/views.ts';
import { LOCAL_PROXY_HOST } from '../local-proxy/local-proxy.ts';
import type { ProxyAddress } from '../system-proxy/proxy-values.ts';

/** A shell without a system proxy (the headless host): the Settings page says so. */
export const NO_SYSTEM_PROXY: SystemProxyStatus = {
  state: 'unsupported',
  desktop: null,
  message: 'Only the desktop app sets the system proxy.',
};

/**
 * Where the system proxy should point now: the local proxy while the setting
 * is on and a session is live (a session reconnecting after a network loss
 * still is), nowhere otherwise.
 */
export function systemProxyTarget(connection: ConnectionView, settings: Settings, port: number): ProxyAddress | null {
  if (!settings.system_proxy) return null;
  const live = connection.status === 'connected' || (connection.status === 'connecting' && connection.reconnecting);
  return live ? { host: LOCAL_PROXY_HOST, port } : null;
}
