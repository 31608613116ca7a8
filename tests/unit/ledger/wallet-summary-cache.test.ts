import { describe, expect, it } from 'vitest';
import type { Db } from '../../../server/db/types.ts';
import { EVERY_WALLET, WALLET_CHANGED_CHANNEL } from '../../../server/ledger/wallet-changes.ts';
import { WalletSummaryCache } from '../../../server/ledger/wallet-summary-cache.ts';

const USER = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';

/** A database whose wallet reads answer only when the test says, with the balance it says. */
function fakeDb() {
  const pending: { resolve(balance: bigint | null): void }[] = [];
  let changed: ((payload: string) => void) | undefined;
  const db = {
    engine: 'pglite',
    query: () =>
      new Promise((resolve) =>
        pending.push({
          resolve: (balance) =>
            resolve({
              rows:
                balance === null
                  ? []
                  : [{ balance, total_purchased: balance, total_spent: 0n, active_sessions: 0n, burn_rate: 0n }],
              rowCount: 1,
            }),
        }),
      ),
    async listen(channel: string, onMessage: (payload: string) => void) {
      expect(channel).toBe(WALLET_CHANGED_CHANNEL);
      changed = onMessage;
      return async () => {
        changed = undefined;
      };
    },
  } as unknown as Db;
  return {
    db,
    reads: () => pending.length,
    /** Answers the `n`th read issued so far. */
    answer: (n: number, balance: bigint | null) => pending[n]!.resolve(balance),
    change: (payload: string) => changed!(payload),
  };
}

async function startedCache(db: Db, now = () => 0) {
  const cache = new WalletSummaryCache(db, { freshMs: 1_000, now });
  await cache.start();
  return cache;
}

describe('WalletSummaryCache', () => {
  it('serves concurrent and repeated polls from one read while it is fresh, then reads again', async () => {
    const fake = fakeDb();
    let clock = 0;
    const cache = await startedCache(fake.db, () => clock);
    const polls = [cache.get(USER), cache.get(USER), cache.get(USER)];
    expect(fake.reads()).toBe(1);
    fake.answer(0, 5n);
    for (const poll of polls) expect((await poll)?.balance).toBe(5n);
    clock = 999;
    expect((await cache.get(USER))?.balance).toBe(5n);
    expect(fake.reads()).toBe(1);
    clock = 1_000;
    const stale = cache.get(USER);
    expect(fake.reads()).toBe(2);
    fake.answer(1, 6n);
    expect((await stale)?.balance).toBe(6n);
  });

  it('a change drops the summary: the next poll reads again', async () => {
    const fake = fakeDb();
    const cache = await startedCache(fake.db);
    const first = cache.get(USER);
    fake.answer(0, 5n);
    await first;
    fake.change(USER);
    const next = cache.get(USER);
    expect(fake.reads()).toBe(2);
    fake.answer(1, 7n);
    expect((await next)?.balance).toBe(7n);
  });

  it('a read that started before a change never puts its old value back, nor is joined by later polls', async () => {
    const fake = fakeDb();
    const cache = await startedCache(fake.db);
    const racing = cache.get(USER);
    fake.change(USER); // a write commits while the read is in flight
    const after = cache.get(USER);
    expect(fake.reads()).toBe(2);
    fake.answer(1, 7n); // the new read sees the write
    fake.answer(0, 5n); // the old one answers last, with the value before it
    expect((await racing)?.balance).toBe(5n);
    expect((await after)?.balance).toBe(7n);
    expect((await cache.get(USER))?.balance).toBe(7n);
    expect(fake.reads()).toBe(2);
  });

  it('`*` drops every wallet, and a read racing it keeps nothing', async () => {
    const fake = fakeDb();
    const cache = await startedCache(fake.db);
    const a = cache.get(USER);
    fake.answer(0, 5n);
    await a;
    const racing = cache.get(OTHER);
    fake.change(EVERY_WALLET);
    fake.answer(1, 9n);
    await racing;
    void cache.get(USER);
    void cache.get(OTHER);
    expect(fake.reads()).toBe(4);
  });

  it('does not remember an unknown user, and stops hearing changes once closed', async () => {
    const fake = fakeDb();
    const cache = await startedCache(fake.db);
    const missing = cache.get(USER);
    fake.answer(0, null);
    expect(await missing).toBeNull();
    void cache.get(USER);
    expect(fake.reads()).toBe(2);
    await cache.close();
    expect(() => fake.change(USER)).toThrow();
  });
});
