import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adjustBalance } from '../../../server/ledger/admin-adjustment.ts';
import { verifyLedger } from '../../../server/ledger/verify-ledger.ts';
import { topUpIfDue, type AutoTopupDeps } from '../../../server/payments/auto-topup/auto-topup.ts';
import { buildProviders } from '../../../server/payments/payments-config.ts';
import type { Db } from '../../../server/db/types.ts';
import { startService, type Service } from '../../../server/service.ts';
import { credits } from '../../../shared/money.ts';
import { PAYSTACK_SECRET, PaymentsWorld, type User } from './payments-world.ts';

const until = (check: () => Promise<void> | void) => vi.waitFor(check, { timeout: 10_000, interval: 25 });

describe('auto top-up with two service processes on one PostgreSQL: exactly once per crossing', () => {
  let world: PaymentsWorld;
  let second: Service;
  beforeAll(async () => {
    world = await PaymentsWorld.start('postgres');
    // A second billing service on the same database, as when an operator runs two.
    second = await startService(world.service.config, { clock: world.service.clock, meter: false });
  });
  afterAll(async () => {
    await second?.close();
    await world?.stop();
  });

  const spend = (db: Db, user: User, amount: string) =>
    adjustBalance(db, {
      userId: user.userId,
      amount: -credits(amount),
      reason: 'spent (test)',
      by: { adminId: null, name: 'test' },
    });

  async function cardHolderWithAutoTopup() {
    const user = await world.signUp('two-processes');
    const purchase = await world.purchase(user, 'paystack');
    await world.pay(purchase, 'paystack');
    const on = await world.service.call('PUT', '/api/auto-topup', {
      token: user.token,
      body: { enabled: true, package_id: 'usd_10', threshold: '20', monthly_cap_cents: 100_000 },
    });
    expect(on.status, JSON.stringify(on.body)).toBe(200);
    return user;
  }
  const chargesOf = (user: User) => world.paystack.charges().filter((c) => c.email === user.email);

  it('both processes hear every debit (LISTEN/NOTIFY); five crossings make five charges', async () => {
    const user = await cardHolderWithAutoTopup();
    for (let round = 1; round <= 5; round++) {
      // Debits posted through either process's pool; both watches see them.
      await spend(round % 2 ? world.db : second.db, user, '10');
      // The charge first: the balance route's cache hears of the other process's debit a moment
      // later, and until then still says 27.
      await until(async () => {
        expect(chargesOf(user)).toHaveLength(round);
        expect(await world.balance(user)).toBe(27_000_000);
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(chargesOf(user)).toHaveLength(5);
    expect(await verifyLedger(world.db)).toEqual([]);
  });

  it('ten checks of one crossing at once, five in each process, charge once', async () => {
    const user = await cardHolderWithAutoTopup();
    // Off while the balance falls (no watch acts), then on again behind the watches' backs.
    await world.db.query('UPDATE auto_topup_settings SET enabled = false WHERE user_id = $1', [user.userId]);
    await spend(world.db, user, '10');
    // Let both watches hear of that debit (and find auto top-up off) before it is turned back on.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await world.db.query('UPDATE auto_topup_settings SET enabled = true WHERE user_id = $1', [user.userId]);

    const depsOf = (db: Db): AutoTopupDeps => ({
      payments: {
        db,
        clock: world.service.clock,
        providers: buildProviders(world.service.config.payments, world.service.config.publicUrl),
        packages: world.service.config.packages,
        publicUrl: world.service.config.publicUrl,
        expiryMs: 3_600_000,
        maxOpenCheckouts: 5,
      },
      paystack: { baseUrl: world.paystack.url, secretKey: PAYSTACK_SECRET },
    });
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) => topUpIfDue(depsOf(i % 2 ? second.db : world.db), user.userId)),
    );
    expect(outcomes.filter((o) => o !== null)).toEqual(['paid']);
    expect(chargesOf(user)).toHaveLength(1);
    await until(async () => expect(await world.balance(user)).toBe(27_000_000));
    const { rows } = await world.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM auto_topups WHERE user_id = $1',
      [user.userId],
    );
    expect(rows[0]!.n).toBe(1);
  });
});
