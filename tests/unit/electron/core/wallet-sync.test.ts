import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BillingError } from '../../../../electron/core/billing/billing-error.ts';
import { EMPTY_WALLET, WalletSync, type WalletApi } from '../../../../electron/core/wallet/wallet-sync.ts';
import type { WalletSnapshot } from '../../../../shared/ipc/views.ts';
import { balanceOf, featuresOf } from '../../../support/wallet-fixtures.ts';

const START = Date.UTC(2026, 0, 1, 12, 0, 0);

/** A billing service whose balance each test sets; every call is counted. */
function fakeBilling() {
  const state = { micro: 5_000_000, offline: false };
  const answer = <T>(value: () => T) =>
    vi.fn(async () => {
      if (state.offline) throw new BillingError('network', 'the billing service did not answer: ECONNREFUSED');
      return value();
    });
  const api = {
    balance: answer(() => balanceOf(state.micro)),
    features: answer(() => featuresOf(state.micro)),
    sessions: answer(() => []),
    transactions: answer(() => ({ transactions: [], next_cursor: null })),
  } satisfies WalletApi;
  return { state, api };
}

describe('wallet sync (fake timers)', () => {
  let billing: ReturnType<typeof fakeBilling>;
  let sync: WalletSync;
  let pushed: WalletSnapshot[];

  beforeEach(() => {
    vi.useFakeTimers({ now: START });
    billing = fakeBilling();
    sync = new WalletSync({ billing: () => billing.api });
    pushed = [];
    sync.subscribe((snapshot) => pushed.push(snapshot));
  });
  afterEach(() => {
    sync.stop();
    vi.useRealTimers();
  });

  it('starts with one refresh that reads balance, features, the live session and recent transactions', async () => {
    const snapshot = await sync.start();
    expect(snapshot).toMatchObject({
      balance: { balance_micro: 5_000_000 },
      features: { can_use_city: true },
      active_session: null,
      fetched_at: new Date(START).toISOString(),
      offline: false,
      problem: null,
    });
    expect(billing.api.sessions).toHaveBeenCalledWith({ status: 'active', limit: 1 });
    expect(billing.api.transactions).toHaveBeenCalledWith({ limit: 10 });
    expect(pushed).toHaveLength(1);
  });

  it('polls every 30 s with only the tray, every 5 s while the window shows the wallet, and switches both ways', async () => {
    await sync.start();
    await vi.advanceTimersByTimeAsync(29_999);
    expect(billing.api.balance).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(billing.api.balance).toHaveBeenCalledTimes(2);

    sync.setVisible(true);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(billing.api.balance).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(billing.api.balance).toHaveBeenCalledTimes(6);

    sync.setVisible(false);
    await vi.advanceTimersByTimeAsync(29_999);
    expect(billing.api.balance).toHaveBeenCalledTimes(6);
    await vi.advanceTimersByTimeAsync(1);
    expect(billing.api.balance).toHaveBeenCalledTimes(7);
  });

  it('showing the window after a long tray interval refreshes at once when the last poll is older than 5 s', async () => {
    await sync.start();
    await vi.advanceTimersByTimeAsync(12_000);
    sync.setVisible(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(billing.api.balance).toHaveBeenCalledTimes(2);
  });

  it('refreshNow() refreshes immediately (after a purchase, connect or disconnect) and restarts the interval', async () => {
    sync.setVisible(true);
    await sync.start();
    await vi.advanceTimersByTimeAsync(3_000);
    billing.state.micro = 32_000_000;
    const snapshot = await sync.refreshNow();
    expect(snapshot.balance?.balance_micro).toBe(32_000_000);
    expect(billing.api.balance).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(billing.api.balance).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(billing.api.balance).toHaveBeenCalledTimes(3);
  });

  it('a refreshNow() during a running refresh refreshes once more after it, never in parallel', async () => {
    await sync.start();
    const first = sync.refreshNow();
    const second = sync.refreshNow();
    const third = sync.refreshNow();
    billing.state.micro = 7_000_000;
    expect(second).toBe(third);
    await Promise.all([first, second]);
    expect(billing.api.balance).toHaveBeenCalledTimes(3);
    expect(sync.snapshot.balance?.balance_micro).toBe(7_000_000);
  });

  it('pushes each changed snapshot and nothing when a poll learned nothing new', async () => {
    sync.setVisible(true);
    await sync.start();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(billing.api.balance).toHaveBeenCalledTimes(5);
    expect(pushed).toHaveLength(1);
    billing.state.micro = 4_987_500;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(pushed).toHaveLength(2);
    expect(pushed[1]!.balance?.balance_micro).toBe(4_987_500);
    // The getter still has the latest fetch time even without a push.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(pushed).toHaveLength(2);
    expect(sync.snapshot.fetched_at).toBe(new Date(START + 30_000).toISOString());
  });

  it('offline: keeps the last snapshot and its fetch time, marked offline with the problem, pushed once', async () => {
    sync.setVisible(true);
    await sync.start();
    await vi.advanceTimersByTimeAsync(5_000);
    const lastGood = sync.snapshot;
    billing.state.offline = true;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(sync.snapshot).toEqual({
      ...lastGood,
      offline: true,
      problem: { code: 'network', message: expect.stringContaining('did not answer') },
    });
    // Its age is what the UI shows: now minus fetched_at.
    expect(Date.now() - Date.parse(sync.snapshot.fetched_at!)).toBe(5_000);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(Date.now() - Date.parse(sync.snapshot.fetched_at!)).toBe(15_000);
    expect(pushed.filter((snapshot) => snapshot.offline)).toHaveLength(1);

    billing.state.offline = false;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(sync.snapshot).toMatchObject({
      offline: false,
      problem: null,
      fetched_at: new Date(Date.now()).toISOString(),
    });
    expect(pushed.at(-1)!.offline).toBe(false);
  });

  it('reset() forgets the account and drops an answer that was still on its way', async () => {
    await sync.start();
    billing.state.micro = 9_000_000;
    const late = sync.refreshNow();
    sync.reset();
    await late;
    expect(sync.snapshot).toEqual(EMPTY_WALLET);
    expect(pushed.at(-1)).toEqual(EMPTY_WALLET);
  });

  it('stop() ends polling', async () => {
    await sync.start();
    sync.stop();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(billing.api.balance).toHaveBeenCalledTimes(1);
  });
});
