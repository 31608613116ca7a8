import { describe, expect, it } from 'vitest';
import { advanceTestClock } from '../../../../electron/core/app/test-clock.ts';
import type { ConnectionManager } from '../../../../electron/core/connection/connection-manager.ts';
import type { WalletSync } from '../../../../electron/core/wallet/wallet-sync.ts';

function fakes() {
  const log: string[] = [];
  const embedded = {
    start: async () => ({ url: '', token: '' }),
    stop: async () => undefined,
    advanceClock: async (ms: number) => void log.push(`advance ${ms}`),
    tick: async () => void log.push('tick'),
  };
  const manager = { checkNow: async () => void log.push('heartbeat') } as unknown as ConnectionManager;
  const wallet = { refreshNow: async () => log.push('wallet') } as unknown as WalletSync;
  return { log, embedded, manager, wallet };
}

describe('test clock', () => {
  it('moves in steps of at most 60 s, heartbeating then ticking after each, then refreshes the wallet', async () => {
    const { log, embedded, manager, wallet } = fakes();
    await advanceTestClock(embedded, manager, wallet, 150_000);
    expect(log).toEqual([
      'advance 60000',
      'heartbeat',
      'tick',
      'advance 60000',
      'heartbeat',
      'tick',
      'advance 30000',
      'heartbeat',
      'tick',
      'heartbeat',
      'wallet',
    ]);
  });

  it('refuses without an embedded service that has a test clock', async () => {
    const { embedded, manager, wallet } = fakes();
    const { advanceClock: _a, tick: _t, ...plain } = embedded;
    await expect(advanceTestClock(plain, manager, wallet, 1000)).rejects.toMatchObject({ code: 'no_test_clock' });
    await expect(advanceTestClock(undefined, manager, wallet, 1000)).rejects.toMatchObject({ code: 'no_test_clock' });
  });
});
