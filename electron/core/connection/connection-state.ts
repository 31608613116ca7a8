import type { ConnectResponse, SessionView } from '../../../shared/api/proxy.ts';
import type { Targeting } from '../../../shared/targeting.ts';

export type GatewayCredentials = ConnectResponse['gateway'];

/** A failure the user should see, e.g. `insufficient_credits` on connect. */
export interface ConnectionProblem {
  code: string;
  message: string;
}

/**
 * The connection as the app shows it. `connecting` with `reconnecting: true` is
 * a live session whose heartbeats fail (network loss): it keeps its session and
 * gateway credentials and retries with backoff, never opening a second session.
 */
export type ConnectionState =
  | {
      status: 'disconnected';
      problem?: ConnectionProblem;
      /** The session the user just disconnected, so the local proxy can say it ended and why. */
      disconnected?: SessionView;
    }
  | { status: 'connecting'; targeting: Targeting; reconnecting: false }
  | {
      status: 'connecting';
      targeting: Targeting;
      reconnecting: true;
      session: SessionView;
      gateway: GatewayCredentials;
      attempt: number;
      retryInMs: number;
      problem: ConnectionProblem;
    }
  | { status: 'connected'; targeting: Targeting; session: SessionView; gateway: GatewayCredentials }
  | { status: 'disconnecting'; session: SessionView }
  | { status: 'ended'; reason: string; message: string; session: SessionView | null };

export type ConnectionStatus = ConnectionState['status'];
