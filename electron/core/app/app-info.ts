import type { AppInfo } from '../../../shared/ipc/views.ts';
import { LOCAL_PROXY_HOST } from '../local-proxy/local-proxy.ts';
import type { BillingLink } from './billing-link.ts';
import type { LocalProxySlot } from './local-proxy-slot.ts';

/** Which service and account the app uses, and where apps reach its local proxy. */
export function appInfo(link: BillingLink, proxy: LocalProxySlot, version: string | undefined): AppInfo {
  const port = proxy.client.port;
  return {
    mode: link.mode,
    server_url: link.url,
    signed_in: link.signedIn,
    account: link.account,
    local_proxy: {
      host: LOCAL_PROXY_HOST,
      port,
      http_url: `http://${LOCAL_PROXY_HOST}:${port}`,
      socks_url: `socks5://${LOCAL_PROXY_HOST}:${port}`,
      problem: proxy.problem,
    },
    version: version ?? '0.0.0-dev',
  };
}
