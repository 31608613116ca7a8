import { AppError } from '../../shared/errors.ts';
import { findPackage, type CreditPackage } from '../../shared/packages.ts';
import type { Db } from '../db/types.ts';
import { createPendingPayment, type Payment } from './pending-payments.ts';
import { SANDBOX, sandboxCheckoutUrl } from './sandbox.ts';

export interface PurchaseRequest {
  userId: string;
  packageId?: string | undefined;
  /** The seed's way to name a package: its price in dollars. */
  amount?: number | undefined;
  method?: string | undefined;
}

export interface PurchaseConfig {
  packages: readonly CreditPackage[];
  methods: readonly string[];
  publicUrl: string;
}

/**
 * Starts a purchase: a pending payment and its checkout. Nothing is credited
 * here; the provider's confirmation does that, once.
 */
export async function startPurchase(db: Db, request: PurchaseRequest, config: PurchaseConfig): Promise<Payment> {
  const pkg = findPackage({ packageId: request.packageId, amount: request.amount }, config.packages);
  const method = request.method ?? config.methods[0] ?? SANDBOX;
  if (!config.methods.includes(method)) {
    throw new AppError(
      'invalid_input',
      `payment method ${method} is not available; use one of ${config.methods.join(', ')}`,
    );
  }
  const payment = await createPendingPayment(db, { userId: request.userId, pkg, provider: method });
  const checkoutUrl = sandboxCheckoutUrl(config.publicUrl, payment.id);
  await db.query('UPDATE payments SET checkout_url = $2 WHERE id = $1', [payment.id, checkoutUrl]);
  return { ...payment, checkoutUrl };
}
