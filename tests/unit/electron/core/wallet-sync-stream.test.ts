import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WalletSync, type WalletApi } from '../../../../electron/core/wallet/wallet-sync.ts';
import type { WalletEvent } from '../../../../shared/api/wallet-stream.ts';
import { balanceOf, featuresOf } from '../../../support/wallet-fixtures.ts';

const START = Date.UTC(2026, 0, 1, 12, 0, 0);

const event = (micro: number): WalletEvent => ({
  balance: balanceOf(micro),
  features: featuresOf(micro),
  active_sessions: [],
  recent_transactions: [],
});

/** A billing service that polls like the real one and pushes when the test says so. */
function streamingBilling() {
  const streams: { push(e: WalletEvent): void; end(reason: string): void; closed: boolean }[] = [];
  const polled = vi.fn(async () => balanceOf(5_000_000));
  const api: WalletApi = {
    balance: polled,
    features: async () => featuresOf(5_000_000),
    sessions: async () => [],
    transactions: async () => ({ transactions: [], next_cursor: null }),
    walletStream: (onEvent, onEnd) => {
      const stream = { push: onEvent, end: onEnd, closed: false };
      streams.push(stream);
      return { close: () => void (stream.closed = true) };
    },
  };
  return { api, streams, polled };
}

describe('wallet sync with the wallet stream (fake timers)', () => {
  let billing: ReturnType<typeof streamingBilling>;
  let sync: WalletSync;
  let balances: (number | undefined)[];

  beforeEach(() => {
    vi.useFakeTimers({ now: START });
    billing = streamingBilling();
    sync = new WalletSync({ billing: () => billing.api });
    sync.setVisible(true);
    balances = [];
    sync.subscribe((snapshot) => balances.push(snapshot.balance?.balance_micro));
  });
  afterEach(() => {
    sync.stop();
    vi.useRealTimers();
  });

  it('takes pushed changes at once and polls only once a minute while the stream is up', async () => {
    await sync.start();
    expect(billing.streams).toHaveLength(1);
    billing.streams[0]!.push(event(4_000_000));
    expect(sync.streaming).toBe(true);
    expect(balances.at(-1)).toBe(4_000_000);
    billing.polled.mockClear();
    await vi.advanceTimersByTimeAsync(59_000);
    expect(billing.polled).not.toHaveBeenCalled();
    billing.streams[0]!.push(event(3_000_000));
    expect(balances.at(-1)).toBe(3_000_000);
  });

  it('a dropped stream: back to 5 s polling at once, the stream reopened with backoff, then quiet again', async () => {
    await sync.start();
    billing.streams[0]!.push(event(5_000_000));
    billing.streams[0]!.end('the service closed the stream');
    expect(sync.streaming).toBe(false);
    billing.polled.mockClear();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(billing.polled).toHaveBeenCalledTimes(1);
    expect(billing.streams).toHaveLength(2);
    billing.streams[1]!.end('refused');
    await vi.advanceTimersByTimeAsync(1_999);
    expect(billing.streams).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(billing.streams).toHaveLength(3);
    billing.streams[2]!.push(event(5_000_000));
    billing.polled.mockClear();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(billing.polled).not.toHaveBeenCalled();
  });

  it('stop and reset close the stream; a late event from the old account is ignored', async () => {
    await sync.start();
    const old = billing.streams[0]!;
    sync.reset();
    expect(old.closed).toBe(true);
    old.push(event(1));
    expect(balances).not.toContain(1);
    expect(billing.streams).toHaveLength(2);
    sync.stop();
    expect(billing.streams[1]!.closed).toBe(true);
  });
});
