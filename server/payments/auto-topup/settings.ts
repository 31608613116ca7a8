import { AppError } from '../../../shared/errors.ts';
import type { MicroCredits } from '../../../shared/money.ts';
import { findPackage, type CreditPackage } from '../../../shared/packages.ts';
import type { Db, Queryable } from '../../db/types.ts';

export interface AutoTopupSettings {
  enabled: boolean;
  packageId: string;
  threshold: MicroCredits;
  monthlyCapCents: number;
  /** Set when the service turned it off (a declined charge): what to tell the user. */
  disabledReason: string | null;
}

export interface TopupRecord {
  status: 'charging' | 'paid' | 'declined' | 'failed' | 'capped';
  amount: number;
  currency: string;
  paymentId: string | null;
  detail: string | null;
  createdAt: Date;
}

interface SettingsRow {
  enabled: boolean;
  package: string;
  threshold: bigint;
  monthly_cap_cents: bigint;
  disabled_reason: string | null;
}

export async function findSettings(db: Queryable, userId: string): Promise<AutoTopupSettings | null> {
  const { rows } = await db.query<SettingsRow>('SELECT * FROM auto_topup_settings WHERE user_id = $1', [userId]);
  const row = rows[0];
  return row
    ? {
        enabled: row.enabled,
        packageId: row.package,
        threshold: row.threshold,
        monthlyCapCents: Number(row.monthly_cap_cents),
        disabledReason: row.disabled_reason,
      }
    : null;
}

/** The first instant of the UTC month `at` falls in: the monthly cap counts from here. */
export function monthStart(at: number): Date {
  const d = new Date(at);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
}

/** Subunits charged (or being charged) by auto top-up since the month began. */
export async function spentThisMonth(db: Queryable, userId: string, at: number): Promise<number> {
  const { rows } = await db.query<{ spent: string }>(
    `SELECT COALESCE(sum(amount), 0)::text AS spent FROM auto_topups
     WHERE user_id = $1 AND status IN ('charging', 'paid') AND created_at >= $2`,
    [userId, monthStart(at).toISOString()],
  );
  return Number(rows[0]?.spent ?? 0);
}

export async function recentTopups(db: Queryable, userId: string, limit = 10): Promise<TopupRecord[]> {
  const { rows } = await db.query<{
    status: TopupRecord['status'];
    amount: bigint;
    currency: string;
    payment_id: string | null;
    detail: string | null;
    created_at: Date;
  }>('SELECT * FROM auto_topups WHERE user_id = $1 ORDER BY created_at DESC, id LIMIT $2', [userId, limit]);
  return rows.map((r) => ({
    status: r.status,
    amount: Number(r.amount),
    currency: r.currency,
    paymentId: r.payment_id,
    detail: r.detail,
    createdAt: r.created_at,
  }));
}

/**
 * Saves the user's choice. Turning it on needs a saved card, a package on sale
 * and a cap that allows at least one top-up; anything else is refused unchanged.
 */
export async function putSettings(
  db: Db,
  userId: string,
  choice: { enabled: boolean; packageId: string; threshold: MicroCredits; monthlyCapCents: number },
  packages: readonly CreditPackage[],
): Promise<void> {
  const pkg = findPackage({ packageId: choice.packageId }, packages);
  if (choice.threshold <= 0n) throw new AppError('invalid_amount', 'the threshold must be above zero');
  if (choice.monthlyCapCents < pkg.priceCents) {
    throw new AppError('invalid_input', `the monthly cap is below the price of ${pkg.id}: no top-up could ever run`);
  }
  await db.transaction(async (tx) => {
    if (choice.enabled) {
      const { rows } = await tx.query('SELECT 1 FROM saved_cards WHERE user_id = $1', [userId]);
      if (rows.length === 0) throw new AppError('no_saved_card', 'pay once by card to save it before turning this on');
    }
    await tx.query(
      `INSERT INTO auto_topup_settings (user_id, enabled, package, threshold, monthly_cap_cents, updated_at)
       VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (user_id) DO UPDATE SET enabled = $2, package = $3, threshold = $4,
         monthly_cap_cents = $5, disabled_reason = NULL, updated_at = now()`,
      [userId, choice.enabled, pkg.id, choice.threshold, choice.monthlyCapCents],
    );
  });
}
