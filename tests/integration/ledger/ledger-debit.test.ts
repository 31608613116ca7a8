import { expect, it } from 'vitest';
import type { Db } from '../../../server/db/types.ts';
import { ledgerDebitSql } from '../../../server/ledger/debit-balances.ts';
import { getWallet } from '../../../server/ledger/wallets.ts';
import { describeEachEngine } from '../../support/engines.ts';
import { userWithBalance } from '../../support/fixtures.ts';

/** ledger_debit through the SQL the tick uses, over (user, amount) pairs; the users it moved, with their balances. */
async function debitBalances(db: Db, owed: [string, bigint][]): Promise<Map<string, bigint>> {
  const pairs = `SELECT * FROM unnest($1::uuid[], $2::int8[]) AS o (user_id, amount)`;
  const { rows } = await db.query<{ user_id: string; balance: bigint }>(ledgerDebitSql(pairs, 'now()'), [
    owed.map(([user]) => user),
    owed.map(([, amount]) => amount.toString()),
  ]);
  return new Map(rows.map((r) => [r.user_id, r.balance]));
}

describeEachEngine('ledger_debit, the metering minute’s fast path', (db) => {
  it('moves each balance that covers its debit with room to spare, and leaves the others untouched', async () => {
    const rich = await userWithBalance(db(), '1000');
    const exact = await userWithBalance(db(), '0.000500');
    const poor = await userWithBalance(db(), '0.000100');
    const moved = await debitBalances(db(), [
      [rich, 300n],
      [exact, 500n], // would empty it: ending sessions is ledger_post's, so not here
      [poor, 500n],
    ]);
    expect(moved).toEqual(new Map([[rich, 999_999_700n]]));
    expect(await getWallet(db(), rich)).toMatchObject({ balance: 999_999_700n, totalSpent: 300n });
    expect(await getWallet(db(), exact)).toMatchObject({ balance: 500n, totalSpent: 0n });
    expect(await getWallet(db(), poor)).toMatchObject({ balance: 100n, totalSpent: 0n });
  });

  it('takes the sum for a user named twice, and nothing for no users', async () => {
    const user = await userWithBalance(db(), '1');
    expect(
      await debitBalances(db(), [
        [user, 200n],
        [user, 300n],
      ]),
    ).toEqual(new Map([[user, 999_500n]]));
    expect(await debitBalances(db(), [])).toEqual(new Map());
    expect((await getWallet(db(), user)).balance).toBe(999_500n);
  });

  it('refuses a negative amount, and arrays of different lengths, changing nothing', async () => {
    const user = await userWithBalance(db(), '1');
    await expect(debitBalances(db(), [[user, -5n]])).rejects.toThrow(/one amount >= 0 per user/);
    await expect(
      db().query(`SELECT * FROM ledger_debit($1::uuid[], $2::int8[], now())`, [[user], ['1', '2']]),
    ).rejects.toThrow(/one amount >= 0 per user/);
    expect((await getWallet(db(), user)).balance).toBe(1_000_000n);
  });
});
