import type { FastifyBaseLogger } from 'fastify';
import type { PaymentsDeps } from '../payment-service.ts';
import type { PaymentsConfig } from '../payments-config.ts';
import { saveCard } from './saved-cards.ts';
import { AutoTopupWatch } from './watch.ts';

/**
 * Auto top-up, when Paystack is offered: saves each confirmed payment's reusable
 * card (through `payments.cardConfirmed`) and watches wallets for crossings.
 */
export async function startAutoTopup(
  payments: PaymentsDeps,
  config: PaymentsConfig,
  log: FastifyBaseLogger,
): Promise<AutoTopupWatch | undefined> {
  const secretKey = config.env.PAYSTACK_SECRET_KEY;
  if (!payments.providers.has('paystack') || !secretKey) return undefined;
  payments.cardConfirmed = (userId, card) => saveCard(payments.db, userId, card, payments.clock.now());
  const watch = new AutoTopupWatch({ payments, paystack: { baseUrl: config.env.PAYSTACK_BASE_URL, secretKey } }, log);
  await watch.start();
  return watch;
}
