import type { ProxyRoute } from '../local-proxy/proxy-route.ts';
import type { ConnectionState } from './connection-state.ts';

/**
 * What the local proxy does in each state. A session that is reconnecting is
 * still paid for and still forwards; anything else is refused with words a
 * person reading a browser's error page understands.
 */
export function routeOfState(state: ConnectionState): ProxyRoute {
  switch (state.status) {
    case 'connected':
      return { gateway: state.gateway };
    case 'connecting':
      return state.reconnecting
        ? { gateway: state.gateway }
        : { refusal: 'Atlantic Proxy is still connecting. Try again in a moment.' };
    case 'disconnecting':
      return { refusal: 'Atlantic Proxy session ended (disconnected): you disconnected in the app.' };
    case 'disconnected':
      return state.disconnected
        ? {
            refusal:
              'Atlantic Proxy session ended (disconnected): you disconnected in the app. Connect again to use this proxy.',
          }
        : { refusal: 'Atlantic Proxy is not connected. Connect in the app to use this proxy.' };
    case 'ended':
      return { refusal: `Atlantic Proxy session ended (${state.reason}): ${state.message}` };
  }
}
