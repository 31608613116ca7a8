import type { AtlanticBridge } from '../../shared/ipc/bridge.ts';
import { createBridge } from '../../shared/ipc/bridge-client.ts';
import { WS_BRIDGE_PATH } from '../../shared/ipc/ws-path.ts';
import { reportCoreLink } from './link-status.ts';
import { createWsTransport } from './ws-transport.ts';

/**
 * Outside Electron (the headless host in a browser) there is no preload:
 * `window.atlantic` is built here over the host's WebSocket. Call it from
 * main.tsx before the first render when `window.atlantic` is absent.
 */
export function installHeadlessBridge(win: Window = window): AtlanticBridge {
  const page = new URL(win.location.href);
  const token = page.searchParams.get('token');
  const socketUrl = new URL(WS_BRIDGE_PATH, page);
  socketUrl.protocol = page.protocol === 'https:' ? 'wss:' : 'ws:';
  socketUrl.search = '';
  socketUrl.hash = '';
  // The cookie carries the token on reconnects; the address also carries it in case cookies are off.
  if (token) socketUrl.searchParams.set('token', token);
  if (token) {
    // The host's answer set its HttpOnly cookie: the token needn't stay in the address bar or history.
    page.searchParams.delete('token');
    win.history.replaceState(win.history.state, '', page.pathname + page.search + page.hash);
  }
  const bridge = createBridge(createWsTransport({ url: socketUrl.href, onLinkChange: reportCoreLink }));
  (win as Window & { atlantic?: AtlanticBridge }).atlantic = bridge;
  return bridge;
}
