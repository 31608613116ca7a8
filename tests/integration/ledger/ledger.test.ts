import { expect, it } from 'vitest';
import { isAppError } from '../../../shared/errors.ts';
import { credits } from '../../../shared/money.ts';
import { credit, debit } from '../../../server/ledger/ledger.ts';
import { verifyLedger } from '../../../server/ledger/verify-ledger.ts';
import { getWallet } from '../../../server/ledger/wallets.ts';
import { describeEachEngine } from '../../support/engines.ts';
import { balanceOf, userWithBalance } from '../../support/fixtures.ts';

describeEachEngine('ledger', (db) => {
  it('credits and debits in one transaction each, recording the balance after every entry', async () => {
    const userId = await userWithBalance(db());
    const first = await credit(db(), { userId, kind: 'adjustment', amount: credits('3'), idempotencyKey: 'grant-1' });
    const second = await debit(db(), { userId, kind: 'adjustment', amount: credits('1.25'), idempotencyKey: 'take-1' });

    expect(first.entry).toMatchObject({ kind: 'adjustment', amount: 3_000_000n, balanceAfter: 3_000_000n });
    expect(second.entry).toMatchObject({ amount: -1_250_000n, balanceAfter: 1_750_000n });
    expect(await getWallet(db(), userId)).toMatchObject({ balance: 1_750_000n, totalPurchased: 0n, totalSpent: 0n });
    expect(await verifyLedger(db())).toEqual([]);
  });

  it('applies a repeated idempotency key once and returns the first result', async () => {
    const userId = await userWithBalance(db());
    const request = { userId, kind: 'adjustment' as const, amount: 700n, idempotencyKey: 'once' };
    const first = await credit(db(), request);
    const again = await credit(db(), request);

    expect(first.replayed).toBe(false);
    expect(again.replayed).toBe(true);
    expect(again.entry?.id).toBe(first.entry?.id);
    expect(await balanceOf(db(), userId)).toBe(700n);
  });

  it('refuses a reused key with a different amount or kind, changing nothing', async () => {
    const userId = await userWithBalance(db());
    await credit(db(), { userId, kind: 'adjustment', amount: 700n, idempotencyKey: 'k' });
    for (const request of [
      () => credit(db(), { userId, kind: 'adjustment', amount: 701n, idempotencyKey: 'k' }),
      () => debit(db(), { userId, kind: 'adjustment', amount: 700n, idempotencyKey: 'k' }),
    ]) {
      const error = await request().catch((e: unknown) => e);
      expect(isAppError(error, 'idempotency_conflict')).toBe(true);
    }
    expect(await balanceOf(db(), userId)).toBe(700n);
  });

  it('refuses a debit the balance cannot cover', async () => {
    const userId = await userWithBalance(db(), 500n);
    const error = await debit(db(), { userId, kind: 'adjustment', amount: 501n, idempotencyKey: 'too-much' }).catch(
      (e: unknown) => e,
    );
    expect(isAppError(error, 'insufficient_credits')).toBe(true);
    expect(await balanceOf(db(), userId)).toBe(500n);
  });

  it('takes only what the balance holds from a clamped debit and reports the shortfall', async () => {
    const userId = await userWithBalance(db(), 500n);
    const request = {
      userId,
      kind: 'adjustment' as const,
      amount: 800n,
      idempotencyKey: 'clawback',
      clampToBalance: true,
    };
    const result = await debit(db(), request);
    expect(result).toMatchObject({ shortfall: 300n, replayed: false });
    expect(result.entry).toMatchObject({ amount: -500n, balanceAfter: 0n });

    const replay = await debit(db(), request);
    expect(replay).toMatchObject({ shortfall: 300n, replayed: true });
    expect(await balanceOf(db(), userId)).toBe(0n);
    expect(await verifyLedger(db())).toEqual([]);
  });

  it('verifyLedger reports a wallet that disagrees with its entries and an entry with a wrong balance_after', async () => {
    const userId = await userWithBalance(db(), 1_000n);
    await db().query('UPDATE wallets SET balance = balance + 1 WHERE user_id = $1', [userId]);
    await db().query(`UPDATE ledger_entries SET balance_after = 5 WHERE user_id = $1`, [userId]);
    try {
      const found = (await verifyLedger(db())).map((v) => v.invariant);
      expect(found).toContain('balance equals the ledger less the usage accrued by live sessions and not yet posted');
      expect(found).toContain('each entry records the balance after it');
      expect(found).not.toContain('the posted balance equals the sum of the ledger');
      await db().query('UPDATE wallets SET posted_balance = posted_balance + 1 WHERE user_id = $1', [userId]);
      expect((await verifyLedger(db())).map((v) => v.invariant)).toEqual(
        expect.arrayContaining(['the posted balance equals the sum of the ledger']),
      );
    } finally {
      await db().query('UPDATE wallets SET balance = balance - 1, posted_balance = balance - 1 WHERE user_id = $1', [
        userId,
      ]);
      await db().query('UPDATE ledger_entries SET balance_after = 1000 WHERE user_id = $1', [userId]);
    }
    expect(await verifyLedger(db())).toEqual([]);
  });
});
