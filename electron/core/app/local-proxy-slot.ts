import type { Problem } from '../../../shared/ipc/views.ts';
import type { SessionApi } from '../connection/connection-manager.ts';
import { LocalProxyError } from '../local-proxy/local-proxy.ts';
import { startProxyClient, type ProxyClient } from '../proxy-client.ts';
import type { Timers } from '../timers.ts';

export interface LocalProxySlot {
  client: ProxyClient;
  /** Set when the chosen port was taken and the proxy fell back to a free one. */
  problem: Problem | null;
}

/**
 * Starts the connection manager and local proxy on the user's port. A port
 * another program holds must not leave the user without a proxy: it falls back
 * to a free port and says so, and the window shows the address in use.
 */
export async function openLocalProxy(options: {
  billing: SessionApi;
  port: number;
  timers?: Timers | undefined;
  heartbeatIntervalMs?: number | undefined;
}): Promise<LocalProxySlot> {
  const common = {
    billing: options.billing,
    ...(options.timers ? { timers: options.timers } : {}),
    ...(options.heartbeatIntervalMs ? { heartbeatIntervalMs: options.heartbeatIntervalMs } : {}),
  };
  try {
    return { client: await startProxyClient({ ...common, port: options.port }), problem: null };
  } catch (error) {
    const client = await startProxyClient({ ...common, port: 0 });
    const code = error instanceof LocalProxyError ? error.code : 'listen_failed';
    // The window shows the address in use beside this, with Copy.
    const why = error instanceof Error ? error.message : String(error);
    return { client, problem: { code, message: why } };
  }
}
