import { findPackage } from '../../../shared/packages.ts';
import type { Queryable } from '../../db/types.ts';
import { creditStanding } from '../../ledger/credit-standing.ts';
import { balancesOf } from '../../ledger/wallets.ts';
import { applyReport, type PaymentsDeps } from '../payment-service.ts';
import { createPendingPayment, failPayment, type Payment } from '../pending-payments.ts';
import type { ProviderReport } from '../provider.ts';
import { chargeAuthorization, type PaystackChargeConfig } from './paystack-charge.ts';
import { spentThisMonth } from './settings.ts';

export interface AutoTopupDeps {
  payments: PaymentsDeps;
  paystack: PaystackChargeConfig;
}

export type TopupOutcome = 'paid' | 'pending' | 'declined' | 'failed' | 'capped';

interface Due {
  package: string;
  threshold: bigint;
  monthly_cap_cents: string;
  authorization_code: string;
  email: string;
  /** The latest credit entry, which left the balance at or above the threshold. */
  crossing: string;
}

/**
 * The crossing to charge for, if any: auto top-up on with a saved card, the
 * balance below the threshold, and the latest credit entry (purchase, bonus,
 * adjustment) having left it at or above the threshold — so the balance crossed
 * the threshold since, and that entry names the crossing. Nothing when it is
 * already claimed. Reads only; the books through the ledger's own functions.
 */
async function dueCrossing(db: Queryable, userId: string): Promise<Due | null> {
  const { rows } = await db.query<Omit<Due, 'crossing'>>(
    `SELECT s.package, s.threshold, s.monthly_cap_cents::text, c.authorization_code, u.email
     FROM auto_topup_settings s
     JOIN saved_cards c ON c.user_id = s.user_id
     JOIN users u ON u.id = s.user_id
     WHERE s.user_id = $1 AND s.enabled`,
    [userId],
  );
  const settings = rows[0];
  const standing = settings ? await creditStanding(db, userId) : null;
  if (!settings || !standing || standing.balance >= settings.threshold) return null;
  const last = standing.latestCredit;
  if (!last || last.balanceAfter < settings.threshold) return null;
  const { rows: claimed } = await db.query('SELECT 1 FROM auto_topups WHERE user_id = $1 AND crossing = $2', [
    userId,
    last.entryId,
  ]);
  return claimed.length > 0 ? null : { ...settings, crossing: last.entryId };
}

/** Users whose balance is below their threshold now (after a tick moved every wallet). */
export async function usersBelowThreshold(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ user_id: string; threshold: bigint }>(
    'SELECT user_id, threshold FROM auto_topup_settings WHERE enabled',
  );
  const balances = await balancesOf(
    db,
    rows.map((r) => r.user_id),
  );
  return rows.filter((r) => balances.get(r.user_id)! < r.threshold).map((r) => r.user_id);
}

async function record(tx: Queryable, id: string, status: TopupOutcome | 'paid', detail: string | null) {
  await tx.query('UPDATE auto_topups SET status = $2, detail = $3 WHERE id = $1', [id, status, detail]);
}

async function turnOff(tx: Queryable, userId: string, reason: string) {
  await tx.query('UPDATE auto_topup_settings SET enabled = false, disabled_reason = $2 WHERE user_id = $1', [
    userId,
    reason,
  ]);
}

/**
 * Charges the saved card once for the current crossing, if there is one. The
 * crossing is claimed (a unique row) in the transaction that observes it, under
 * the settings row's lock, and Paystack is called before that transaction ends:
 * a second process or a card removal waits, then finds the crossing claimed or
 * the card gone (on PGlite, one connection, everything waits for that call:
 * at most the provider timeout). The credits arrive by the same path as any payment's.
 */
export async function topUpIfDue(deps: AutoTopupDeps, userId: string): Promise<TopupOutcome | null> {
  const { db, clock } = deps.payments;
  if (!(await dueCrossing(db, userId))) return null; // the common case, without a lock
  const now = clock.now();
  const charged = await db.transaction(async (tx) => {
    // Lock first, then look again: this statement sees whatever the lock's last holder committed.
    await tx.query('SELECT 1 FROM auto_topup_settings WHERE user_id = $1 FOR UPDATE', [userId]);
    const due = await dueCrossing(tx, userId);
    if (!due) return null;
    const pkg = findPackage({ packageId: due.package }, deps.payments.packages);
    const claim = async (status: string, paymentId: string | null) => {
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO auto_topups (user_id, crossing, payment_id, amount, currency, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [userId, due.crossing, paymentId, pkg.priceCents, pkg.currency, status, new Date(now).toISOString()],
      );
      return rows[0]!.id;
    };
    if ((await spentThisMonth(tx, userId, now)) + pkg.priceCents > Number(due.monthly_cap_cents)) {
      await claim('capped', null);
      return { outcome: 'capped' as const };
    }
    const reference = `atl-topup-${userId.replaceAll('-', '')}-${due.crossing}`;
    // Expires like a checkout, so a charge the bank leaves pending never holds an open-checkout place for good.
    const expiresAt = now + deps.payments.expiryMs;
    const payment = await createPendingPayment(tx, {
      userId,
      pkg,
      provider: 'paystack',
      reference,
      at: now,
      expiresAt,
    });
    const topupId = await claim('charging', payment.id);
    let report: ProviderReport;
    try {
      report = await chargeAuthorization(deps.paystack, {
        email: due.email,
        authorizationCode: due.authorization_code,
        reference,
        amount: pkg.priceCents,
        currency: pkg.currency,
        metadata: { payment_id: payment.id, package: pkg.id, auto_topup: 'true' },
      });
    } catch (error) {
      // Unknown whether it went through: never retried (the reference is spent), the user is told.
      const detail = `Paystack could not be reached: ${(error as Error).message}`;
      await Promise.all([record(tx, topupId, 'failed', detail), failPayment(tx, payment.id, detail)]);
      await turnOff(tx, userId, `Auto top-up stopped: ${detail}`);
      return { outcome: 'failed' as const };
    }
    if (report.status === 'failed') {
      await record(tx, topupId, 'declined', report.detail);
      await failPayment(tx, payment.id, `declined: ${report.detail}`);
      await turnOff(tx, userId, `Your saved card was declined (${report.detail}); auto top-up is off.`);
      return { outcome: 'declined' as const };
    }
    return { outcome: report.status === 'paid' ? ('paid' as const) : ('pending' as const), payment, report, topupId };
  });
  if (!charged) return null;
  if ('report' in charged && charged.outcome === 'paid')
    await confirm(deps, charged.payment, charged.report, charged.topupId);
  return charged.outcome;
}

/** Credits the charge through applyReport, as a verify call would (the webhook may have done it already). */
async function confirm(deps: AutoTopupDeps, payment: Payment, report: ProviderReport, topupId: string) {
  const { payment: after } = await applyReport(deps.payments, payment, report);
  if (after.status === 'paid') await record(deps.payments.db, topupId, 'paid', report.detail);
}
