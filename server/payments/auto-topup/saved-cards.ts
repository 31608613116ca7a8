import type { Queryable } from '../../db/types.ts';

/** What a card payment leaves behind that may be charged again (Paystack's `authorization`). */
export interface CardAuthorization {
  authorizationCode: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

/** What the user sees of a saved card: never the authorization code. */
export interface SavedCard {
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  savedAt: Date;
}

/** Keeps the user's latest reusable card (one per user). */
export async function saveCard(db: Queryable, userId: string, card: CardAuthorization, at: number): Promise<void> {
  await db.query(
    `INSERT INTO saved_cards (user_id, authorization_code, brand, last4, exp_month, exp_year, saved_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (user_id) DO UPDATE SET authorization_code = $2, brand = $3, last4 = $4,
       exp_month = $5, exp_year = $6, saved_at = $7`,
    [userId, card.authorizationCode, card.brand, card.last4, card.expMonth, card.expYear, new Date(at).toISOString()],
  );
}

export async function findSavedCard(db: Queryable, userId: string): Promise<SavedCard | null> {
  const { rows } = await db.query<{
    brand: string;
    last4: string;
    exp_month: number;
    exp_year: number;
    saved_at: Date;
  }>('SELECT brand, last4, exp_month, exp_year, saved_at FROM saved_cards WHERE user_id = $1', [userId]);
  const row = rows[0];
  return row
    ? { brand: row.brand, last4: row.last4, expMonth: row.exp_month, expYear: row.exp_year, savedAt: row.saved_at }
    : null;
}

/**
 * Forgets the card and turns auto top-up off, in one transaction behind the
 * settings row's lock, so it never overlaps a charge in flight (which holds it).
 */
export async function removeCard(tx: Queryable, userId: string): Promise<boolean> {
  await tx.query('SELECT 1 FROM auto_topup_settings WHERE user_id = $1 FOR UPDATE', [userId]);
  const { rowCount } = await tx.query('DELETE FROM saved_cards WHERE user_id = $1', [userId]);
  await tx.query(
    `UPDATE auto_topup_settings SET enabled = false, disabled_reason = NULL WHERE user_id = $1 AND enabled`,
    [userId],
  );
  return rowCount > 0;
}
