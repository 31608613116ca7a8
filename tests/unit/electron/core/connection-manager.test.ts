import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BillingError } from '../../../../electron/core/billing/billing-error.ts';
import { backoffDelay, DEFAULT_BACKOFF } from '../../../../electron/core/connection/backoff.ts';
import { ConnectionManager, type SessionApi } from '../../../../electron/core/connection/connection-manager.ts';
import type { ConnectionState } from '../../../../electron/core/connection/connection-state.ts';
import { routeOfState } from '../../../../electron/core/connection/route-of-state.ts';
import type { ConnectResponse, SessionView } from '../../../../shared/api/proxy.ts';

const SESSION_ID = '6f1c1d7e-4a59-4f7e-9d8c-2f0d6f3b9a11';
const GATEWAY = { host: '127.0.0.1', port: 8788, username: SESSION_ID, password: 'secret' };

function session(overrides: Partial<SessionView> = {}): SessionView {
  return {
    id: SESSION_ID,
    status: 'active',
    targeting: { country: 'us', city: 'New York' },
    tier: 'city',
    rate_per_hour: 0.75,
    rate_per_hour_micro: 750_000,
    started_at: '2026-01-01T12:00:00.000Z',
    ended_at: null,
    end_reason: null,
    cost: 0,
    cost_micro: 0,
    duration_seconds: 0,
    seconds_remaining: 3600,
    bytes_up: 0,
    bytes_down: 0,
    ...overrides,
  };
}

const network = () => new BillingError('network', 'the billing service did not answer: ECONNREFUSED');
const ended = (reason: string) =>
  new BillingError('session_ended', `the session has ended (${reason})`, { status: 409, details: { reason } });

/** A billing API whose answers each test scripts. */
function fakeBilling() {
  return {
    connect: vi.fn<SessionApi['connect']>(async () => ({ session: session(), gateway: GATEWAY }) as ConnectResponse),
    heartbeat: vi.fn<SessionApi['heartbeat']>(async () => session({ duration_seconds: 30 })),
    disconnect: vi.fn<SessionApi['disconnect']>(async () =>
      session({ status: 'ended', end_reason: 'disconnected', ended_at: '2026-01-01T12:01:00.000Z' }),
    ),
  };
}

describe('connection manager (fake timers)', () => {
  let billing: ReturnType<typeof fakeBilling>;
  let manager: ConnectionManager;
  let seen: ConnectionState['status'][];

  beforeEach(() => {
    vi.useFakeTimers();
    billing = fakeBilling();
    // random() = 0.5 puts the jitter in the middle: delays are exactly 1 s, 2 s, 4 s, …
    manager = new ConnectionManager({ billing, random: () => 0.5 });
    seen = [];
    manager.subscribe((state) => seen.push(state.status));
  });
  afterEach(() => {
    manager.dispose();
    vi.useRealTimers();
  });

  it('connects: disconnected → connecting → connected, and forwards through the session gateway', async () => {
    expect(manager.state.status).toBe('disconnected');
    const state = await manager.connect({ country: 'us', city: 'New York' });
    expect(seen).toEqual(['connecting', 'connected']);
    expect(state).toMatchObject({ status: 'connected', session: { id: SESSION_ID }, gateway: GATEWAY });
    expect(routeOfState(state)).toEqual({ gateway: GATEWAY });
    expect(billing.connect).toHaveBeenCalledWith({ country: 'us', city: 'New York' });
  });

  it('heartbeats every 30 s while connected, and not before', async () => {
    await manager.connect({ country: 'us' });
    await vi.advanceTimersByTimeAsync(29_999);
    expect(billing.heartbeat).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(billing.heartbeat).toHaveBeenCalledTimes(1);
    expect(billing.heartbeat).toHaveBeenCalledWith(SESSION_ID);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(billing.heartbeat).toHaveBeenCalledTimes(3);
    expect(manager.state).toMatchObject({ status: 'connected', session: { duration_seconds: 30 } });
  });

  it('after network loss reconnects with backoff on the same session, never opening a second', async () => {
    await manager.connect({ country: 'us' });
    billing.heartbeat
      .mockRejectedValueOnce(network())
      .mockRejectedValueOnce(network())
      .mockRejectedValueOnce(network());
    await vi.advanceTimersByTimeAsync(30_000);
    expect(manager.state).toMatchObject({ status: 'connecting', reconnecting: true, attempt: 1, retryInMs: 1000 });
    // Still paid for and still live at the service: the local proxy keeps forwarding.
    expect(routeOfState(manager.state)).toEqual({ gateway: GATEWAY });

    await vi.advanceTimersByTimeAsync(999);
    expect(billing.heartbeat).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(manager.state).toMatchObject({ status: 'connecting', attempt: 2, retryInMs: 2000 });
    await vi.advanceTimersByTimeAsync(2000);
    expect(manager.state).toMatchObject({ status: 'connecting', attempt: 3, retryInMs: 4000 });
    await vi.advanceTimersByTimeAsync(4000);
    expect(manager.state).toMatchObject({ status: 'connected', session: { id: SESSION_ID } });
    expect(billing.heartbeat).toHaveBeenCalledTimes(4);
    expect(billing.heartbeat.mock.calls.every(([id]) => id === SESSION_ID)).toBe(true);
    expect(billing.connect).toHaveBeenCalledTimes(1);
    // Back to the normal rhythm.
    await vi.advanceTimersByTimeAsync(30_000);
    expect(billing.heartbeat).toHaveBeenCalledTimes(5);
  });

  it('retries a failing service (5xx) too, with the backoff capped at 30 s', async () => {
    expect([1, 2, 3, 4, 5, 6, 7, 10].map((n) => backoffDelay(n, DEFAULT_BACKOFF, () => 0.5))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
    expect(backoffDelay(3, DEFAULT_BACKOFF, () => 0)).toBe(3200);
    expect(backoffDelay(3, DEFAULT_BACKOFF, () => 1)).toBe(4800);
    await manager.connect({ country: 'us' });
    billing.heartbeat.mockRejectedValue(new BillingError('internal_error', 'internal error', { status: 500 }));
    await vi.advanceTimersByTimeAsync(30_000 + 1000 + 2000 + 4000 + 8000 + 16000);
    expect(manager.state).toMatchObject({ status: 'connecting', attempt: 6, retryInMs: 30_000 });
  });

  it('ends with the reason the service gives: out of credits', async () => {
    await manager.connect({ country: 'us' });
    billing.heartbeat.mockRejectedValueOnce(ended('insufficient_credits'));
    await vi.advanceTimersByTimeAsync(30_000);
    expect(manager.state).toMatchObject({
      status: 'ended',
      reason: 'insufficient_credits',
      message: 'Your credits ran out. Add credits and connect again.',
    });
    expect(routeOfState(manager.state)).toEqual({
      refusal:
        'Atlantic Proxy session ended (insufficient_credits): Your credits ran out. Add credits and connect again.',
    });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(billing.heartbeat).toHaveBeenCalledTimes(1);
  });

  it('a network loss longer than the service waits ends as client_lost once it answers again', async () => {
    await manager.connect({ country: 'us' });
    billing.heartbeat.mockRejectedValueOnce(network()).mockRejectedValueOnce(ended('client_lost'));
    await vi.advanceTimersByTimeAsync(31_000);
    expect(manager.state).toMatchObject({ status: 'ended', reason: 'client_lost' });
  });

  it('checkNow heartbeats at once (once, however often it is asked)', async () => {
    await manager.connect({ country: 'us' });
    billing.heartbeat.mockRejectedValueOnce(ended('admin'));
    await Promise.all([manager.checkNow(), manager.checkNow(), manager.checkNow()]);
    expect(billing.heartbeat).toHaveBeenCalledTimes(1);
    expect(manager.state).toMatchObject({ status: 'ended', reason: 'admin', message: 'An administrator ended it.' });
  });

  it('disconnect: connected → disconnecting → disconnected, ends the session once and stops heartbeats', async () => {
    await manager.connect({ country: 'us' });
    await manager.disconnect();
    expect(seen).toEqual(['connecting', 'connected', 'disconnecting', 'disconnected']);
    expect(billing.disconnect).toHaveBeenCalledExactlyOnceWith(SESSION_ID);
    expect(routeOfState(manager.state)).toEqual({
      refusal:
        'Atlantic Proxy session ended (disconnected): you disconnected in the app. Connect again to use this proxy.',
    });
    await vi.advanceTimersByTimeAsync(300_000);
    expect(billing.heartbeat).not.toHaveBeenCalled();
  });

  it('disconnect while reconnecting ends the session; if the service is unreachable it says so', async () => {
    await manager.connect({ country: 'us' });
    billing.heartbeat.mockRejectedValue(network());
    billing.disconnect.mockRejectedValueOnce(network());
    await vi.advanceTimersByTimeAsync(30_000);
    await manager.disconnect();
    expect(manager.state).toMatchObject({ status: 'disconnected', problem: { code: 'network' } });
    expect(billing.disconnect).toHaveBeenCalledExactlyOnceWith(SESSION_ID);
    await vi.advanceTimersByTimeAsync(300_000);
    expect(billing.heartbeat).toHaveBeenCalledTimes(1);
  });

  it('disconnect during connect ends the session that was being opened', async () => {
    let answer!: (value: ConnectResponse) => void;
    billing.connect.mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)));
    const connecting = manager.connect({ country: 'us' });
    expect(manager.state.status).toBe('connecting');
    expect(routeOfState(manager.state)).toEqual({
      refusal: 'Atlantic Proxy is still connecting. Try again in a moment.',
    });
    await manager.disconnect();
    answer({ session: session(), gateway: GATEWAY });
    await connecting;
    expect(manager.state.status).toBe('disconnected');
    expect(billing.disconnect).toHaveBeenCalledExactlyOnceWith(SESSION_ID);
  });

  it('a refused connect is shown and not retried; a lost answer is not retried either', async () => {
    billing.connect.mockRejectedValueOnce(
      new BillingError('insufficient_credits', 'a city session needs a balance of at least 750000 µcr', {
        status: 402,
      }),
    );
    expect(await manager.connect({ country: 'us', city: 'New York' })).toMatchObject({
      status: 'disconnected',
      problem: { code: 'insufficient_credits' },
    });
    billing.connect.mockRejectedValueOnce(network());
    expect(await manager.connect({ country: 'us' })).toMatchObject({
      status: 'disconnected',
      problem: { code: 'network' },
    });
    await vi.advanceTimersByTimeAsync(600_000);
    expect(billing.connect).toHaveBeenCalledTimes(2);
    expect(routeOfState(manager.state)).toEqual({
      refusal: 'Atlantic Proxy is not connected. Connect in the app to use this proxy.',
    });
  });

  it('refuses to connect twice; after an end, connect opens a new session', async () => {
    await manager.connect({ country: 'us' });
    await expect(manager.connect({ country: 'gb' })).rejects.toThrow('cannot connect while connected');
    billing.heartbeat.mockRejectedValueOnce(ended('insufficient_credits'));
    await manager.checkNow();
    expect(manager.state.status).toBe('ended');
    await manager.connect({ country: 'gb' });
    expect(manager.state.status).toBe('connected');
    expect(billing.connect).toHaveBeenCalledTimes(2);
  });
});
