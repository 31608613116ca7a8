import type { ConnectionView } from '../../../shared/ipc/views.ts';
import type { ConnectionState } from '../connection/connection-state.ts';

/** The connection as the window and tray see it: the manager's state without the gateway credentials. */
export function connectionView(state: ConnectionState): ConnectionView {
  switch (state.status) {
    case 'disconnected':
      return {
        status: 'disconnected',
        ...(state.problem ? { problem: state.problem } : {}),
        ...(state.disconnected ? { disconnected: state.disconnected } : {}),
      };
    case 'connecting':
      return state.reconnecting
        ? {
            status: 'connecting',
            targeting: state.targeting,
            reconnecting: true,
            session: state.session,
            attempt: state.attempt,
            retry_in_ms: state.retryInMs,
            problem: state.problem,
          }
        : { status: 'connecting', targeting: state.targeting, reconnecting: false };
    case 'connected':
      return { status: 'connected', targeting: state.targeting, session: state.session };
    case 'disconnecting':
      return { status: 'disconnecting', session: state.session };
    case 'ended':
      return { status: 'ended', reason: state.reason, message: state.message, session: state.session };
  }
}
