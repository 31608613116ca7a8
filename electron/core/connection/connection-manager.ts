import type { ConnectRequest, ConnectResponse, SessionView } from '../../../shared/api/proxy.ts';
import { describeEndReason } from '../../../shared/session-end.ts';
import { isBillingError } from '../billing/billing-error.ts';
import { systemTimers, type Timers } from '../timers.ts';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffConfig } from './backoff.ts';
import type { ConnectionProblem, ConnectionState } from './connection-state.ts';

/** The part of the billing client the connection needs (BillingClient is one). */
export interface SessionApi {
  connect(request: ConnectRequest): Promise<ConnectResponse>;
  heartbeat(sessionId: string): Promise<SessionView>;
  disconnect(sessionId: string): Promise<SessionView>;
}

export interface ConnectionManagerOptions {
  billing: SessionApi;
  timers?: Timers;
  /** How often a live session says it is still here (the service ends it after 2 minutes of silence). */
  heartbeatIntervalMs?: number;
  backoff?: BackoffConfig;
  random?: () => number;
}

export const DEFAULT_HEARTBEAT_MS = 30_000;

function problemOf(error: unknown): ConnectionProblem {
  if (isBillingError(error)) return { code: error.code, message: error.message };
  return { code: 'internal_error', message: error instanceof Error ? error.message : String(error) };
}

/** The end reason a failed heartbeat means, or null when it is worth retrying. */
function endReasonOf(error: unknown): string | null {
  if (!isBillingError(error) || error.transient || error.code === 'bad_response') return null;
  if (error.code === 'session_ended') return String(error.details?.reason ?? 'disconnected');
  if (error.code === 'unauthorized') return 'signed_out';
  return error.code;
}

/**
 * The client's proxy connection: disconnected → connecting → connected →
 * disconnecting, or `ended` with the reason the service gave. While connected
 * it heartbeats; when heartbeats fail for want of network it keeps the same
 * session and retries with backoff until the service answers again, and only
 * the service's word ends it (a session is paid for, so it is never opened twice).
 */
export class ConnectionManager {
  readonly #billing: SessionApi;
  readonly #timers: Timers;
  readonly #heartbeatMs: number;
  readonly #backoff: BackoffConfig;
  readonly #random: () => number;
  readonly #listeners = new Set<(state: ConnectionState) => void>();
  #state: ConnectionState = { status: 'disconnected' };
  // Bumped by every change of state, so an answer that arrives late is ignored.
  #generation = 0;
  #timer: unknown;
  #beating: Promise<void> | undefined;

  constructor(options: ConnectionManagerOptions) {
    this.#billing = options.billing;
    this.#timers = options.timers ?? systemTimers;
    this.#heartbeatMs = options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_MS;
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.#random = options.random ?? Math.random;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** Calls `listener` on every change of state; returns the unsubscribe. */
  subscribe(listener: (state: ConnectionState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Opens a paid session for `request`'s place, sticky or rotating. From `disconnected` or `ended` only. */
  async connect(request: ConnectRequest): Promise<ConnectionState> {
    const { session_mode: _mode, sticky_minutes: _minutes, ...targeting } = request;
    const { status } = this.#state;
    if (status !== 'disconnected' && status !== 'ended') throw new Error(`cannot connect while ${status}`);
    const generation = this.#set({ status: 'connecting', targeting, reconnecting: false });
    try {
      const { session, gateway } = await this.#billing.connect(request);
      if (generation !== this.#generation) {
        // Disconnect was asked for while this session was being opened: end it at once.
        await this.#billing.disconnect(session.id).catch(() => undefined);
        return this.#state;
      }
      this.#set({ status: 'connected', targeting, session, gateway });
      this.#schedule(this.#heartbeatMs);
    } catch (error) {
      // Not retried: had the service opened the session before the answer was lost, a retry would open a second.
      if (generation === this.#generation) this.#set({ status: 'disconnected', problem: problemOf(error) });
    }
    return this.#state;
  }

  /** Ends the session (charged to now) and stops forwarding. From `ended` it just acknowledges the end. */
  async disconnect(): Promise<ConnectionState> {
    const state = this.#state;
    if (state.status === 'connected' || (state.status === 'connecting' && state.reconnecting)) {
      this.#set({ status: 'disconnecting', session: state.session });
      let problem: ConnectionProblem | undefined;
      try {
        await this.#billing.disconnect(state.session.id);
      } catch (error) {
        // Already ended is fine; unreachable means the service ends it as `client_lost`, charged to the last heartbeat.
        if (!isBillingError(error, 'session_ended')) problem = problemOf(error);
      }
      this.#set({ status: 'disconnected', disconnected: state.session, ...(problem ? { problem } : {}) });
    } else if (state.status === 'connecting' || state.status === 'ended') {
      this.#set({ status: 'disconnected' });
    }
    return this.#state;
  }

  /** Heartbeats now, e.g. when the gateway refused the session: an end is noticed at once, not in 30 s. */
  checkNow(): Promise<void> {
    const { status } = this.#state;
    if (status !== 'connected' && status !== 'connecting') return Promise.resolve();
    return this.#beat();
  }

  dispose(): void {
    this.#timers.clearTimeout(this.#timer);
    this.#generation += 1;
    this.#listeners.clear();
  }

  #beat(): Promise<void> {
    return (this.#beating ??= this.#heartbeat().finally(() => (this.#beating = undefined)));
  }

  async #heartbeat(): Promise<void> {
    const state = this.#state;
    if (state.status !== 'connected' && !(state.status === 'connecting' && state.reconnecting)) return;
    const generation = this.#generation;
    try {
      const session = await this.#billing.heartbeat(state.session.id);
      if (generation !== this.#generation) return;
      if (session.status === 'ended') return this.#end(session.end_reason ?? 'disconnected', session);
      this.#set({ status: 'connected', targeting: state.targeting, session, gateway: state.gateway });
      this.#schedule(this.#heartbeatMs);
    } catch (error) {
      if (generation !== this.#generation) return;
      const reason = endReasonOf(error);
      if (reason) return this.#end(reason, state.session);
      const attempt = state.status === 'connecting' ? state.attempt + 1 : 1;
      const retryInMs = backoffDelay(attempt, this.#backoff, this.#random);
      this.#set({
        status: 'connecting',
        reconnecting: true,
        targeting: state.targeting,
        session: state.session,
        gateway: state.gateway,
        attempt,
        retryInMs,
        problem: problemOf(error),
      });
      this.#schedule(retryInMs);
    }
  }

  #end(reason: string, session: SessionView): void {
    this.#set({ status: 'ended', reason, message: describeEndReason(reason), session });
  }

  #schedule(ms: number): void {
    this.#timers.clearTimeout(this.#timer);
    this.#timer = this.#timers.setTimeout(() => void this.#beat(), ms);
  }

  #set(state: ConnectionState): number {
    this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#state = state;
    this.#generation += 1;
    for (const listener of this.#listeners) listener(state);
    return this.#generation;
  }
}
