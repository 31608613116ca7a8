import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { findPackage, type CreditPackage } from '../../shared/packages.ts';
import type { Db } from '../db/types.ts';
import { openCheckout } from './open-checkouts.ts';
import { grantPayment, refundPayment } from './payment-entries.ts';
import { failPayment, findProviderPayment, recordCheckout, type Payment } from './pending-payments.ts';
import type { PaymentProvider, ProviderReport } from './provider.ts';
import { recordPaymentEvent } from './payment-events.ts';
import { findPayment } from './sandbox.ts';

export interface PaymentsDeps {
  db: Db;
  clock: Clock;
  providers: ReadonlyMap<string, PaymentProvider>;
  packages: readonly CreditPackage[];
  publicUrl: string;
  expiryMs: number;
  /** Unpaid checkouts a user may have open at once. */
  maxOpenCheckouts: number;
  /** Told of a confirmed card payment's reusable card (auto top-up saves it). */
  cardConfirmed?: (userId: string, card: NonNullable<ProviderReport['card']>) => Promise<void>;
}

function providerFor(deps: PaymentsDeps, method: string): PaymentProvider {
  const provider = deps.providers.get(method);
  if (!provider) {
    throw new AppError(
      'invalid_input',
      `The payment method ${method} is not offered here. Choose one of: ${[...deps.providers.keys()].join(', ')}.`,
    );
  }
  return provider;
}

/**
 * Starts a purchase: an unknown package is refused before anything is written;
 * then a pending payment (if the user has fewer than the allowed checkouts
 * open) and the provider's checkout. Nothing is credited here.
 */
export async function startPurchase(
  deps: PaymentsDeps,
  request: {
    userId: string;
    email: string;
    packageId?: string | undefined;
    amount?: number | undefined;
    method?: string | undefined;
  },
): Promise<Payment> {
  const pkg = findPackage({ packageId: request.packageId, amount: request.amount }, deps.packages);
  const provider = providerFor(deps, request.method ?? [...deps.providers.keys()][0] ?? 'sandbox');
  const now = deps.clock.now();
  const payment = await openCheckout(
    deps.db,
    { userId: request.userId, pkg, provider: provider.method, at: now, expiresAt: now + deps.expiryMs },
    deps.maxOpenCheckouts,
  );
  try {
    const checkout = await provider.createCheckout(payment, {
      email: request.email,
      returnUrl: `${deps.publicUrl}/payments/return/${payment.id}`,
    });
    await recordCheckout(deps.db, payment.id, checkout);
    return { ...payment, checkoutUrl: checkout.checkoutUrl, providerPaymentId: checkout.providerPaymentId ?? null };
  } catch (error) {
    await failPayment(deps.db, payment.id, 'checkout could not be created');
    throw error;
  }
}

export interface Applied {
  payment: Payment;
  /** Whether this report changed the payment (a repeat does not). */
  changed: boolean;
}

/**
 * Applies what a provider reports, after checking it is about this payment, for
 * its amount and currency. A paid report without an amount (BTCPay's webhook) is
 * confirmed by asking the provider first.
 */
export async function applyReport(deps: PaymentsDeps, payment: Payment, reported: ProviderReport): Promise<Applied> {
  const provider = providerFor(deps, payment.provider);
  const unchanged = { payment, changed: false };
  let report = reported;
  if (report.status === 'paid') {
    if (payment.status === 'paid' || payment.status === 'refunded') return unchanged; // a repeat
    if (payment.status === 'failed') throw failed(payment);
    if (report.amount === undefined) report = await provider.verify(payment);
    if (report.status !== 'paid') return unchanged;
    const sameCurrency = report.currency?.toUpperCase() === payment.currency.toUpperCase();
    if (report.reference !== payment.providerReference || report.amount !== payment.amount || !sameCurrency) {
      throw new AppError('payment_mismatch', 'the provider reports a different reference, amount or currency', {
        expected: `${payment.amount} ${payment.currency}`,
        reported: `${report.amount ?? '?'} ${report.currency ?? '?'}`,
      });
    }
    const granted = await grantPayment(deps.db, payment.id, deps.clock.now());
    if (granted.payment.status === 'failed') throw failed(granted.payment);
    if (report.card && granted.payment.status === 'paid') await deps.cardConfirmed?.(payment.userId, report.card);
    return { payment: granted.payment, changed: granted.granted };
  }
  if (report.status === 'refunded') {
    // Only a full refund takes the credits back; a partial one is for the operator to settle.
    if (report.amount !== undefined && report.amount < payment.amount) return unchanged;
    if (payment.status === 'pending') {
      // Refunded before we heard it was paid: it must never be credited later.
      const changed = await failPayment(deps.db, payment.id, 'refunded by the provider before confirmation');
      return { payment: await findPayment(deps.db, payment.id), changed };
    }
    if (payment.status !== 'paid') return unchanged;
    const result = await refundPayment(deps.db, payment.id, `refunded at ${payment.provider}`, deps.clock.now());
    return { payment: result.payment, changed: result.refunded };
  }
  if (report.status === 'failed') {
    const changed = await failPayment(deps.db, payment.id, report.detail);
    return { payment: await findPayment(deps.db, payment.id), changed };
  }
  return unchanged;
}

function failed(payment: Payment): AppError {
  return new AppError(
    'payment_failed',
    `This payment did not go through (${payment.failureReason ?? 'failed'}), so no credits were added. Nothing was charged.`,
    { reason: payment.failureReason ?? 'failed' },
  );
}

/** The app's "I'm back from checkout": asks the provider now rather than waiting for its webhook. */
export async function verifyPayment(deps: PaymentsDeps, payment: Payment): Promise<Payment> {
  if (payment.status !== 'pending') return payment;
  return (await applyReport(deps, payment, await providerFor(deps, payment.provider).verify(payment))).payment;
}

export interface WebhookOutcome {
  outcome: 'credited' | 'duplicate' | 'ignored' | 'updated';
  paymentId: string | null;
}

/**
 * A provider's webhook: the signature over the raw bytes is checked before
 * anything else, every event is stored for audit, unknown events are
 * acknowledged and ignored, and a repeat is answered at once.
 */
export async function handleWebhook(
  deps: PaymentsDeps,
  method: string,
  rawBody: Buffer,
  headers: Record<string, string | string[] | undefined>,
): Promise<WebhookOutcome> {
  const provider = deps.providers.get(method);
  if (!provider?.authenticateWebhook) throw new AppError('not_found', `no webhooks for ${method}`);
  const audit = { provider: method, payload: rawBody.toString('utf8') };
  let event;
  try {
    event = provider.authenticateWebhook(rawBody, headers);
  } catch (error) {
    await recordPaymentEvent(deps.db, {
      ...audit,
      signatureValid: false,
      outcome: `rejected: ${(error as Error).message}`,
    });
    throw error;
  }
  const logged = {
    ...audit,
    signatureValid: true,
    eventType: event.eventType,
    reference: event.reference ?? event.providerPaymentId ?? null,
  };
  if (!event.report) {
    await recordPaymentEvent(deps.db, { ...logged, outcome: 'ignored' });
    return { outcome: 'ignored', paymentId: null };
  }
  const payment = await findProviderPayment(deps.db, method, event);
  if (!payment) {
    await recordPaymentEvent(deps.db, { ...logged, outcome: 'rejected: unknown reference' });
    throw new AppError('unknown_payment', 'no payment has this reference');
  }
  const audited = { ...logged, paymentId: payment.id };
  try {
    const { payment: after, changed } = await applyReport(deps, payment, {
      ...event.report,
      reference: event.report.reference || payment.providerReference,
    });
    const outcome = !changed ? 'duplicate' : after.status === 'paid' ? 'credited' : 'updated';
    await recordPaymentEvent(deps.db, { ...audited, outcome });
    return { outcome, paymentId: payment.id };
  } catch (error) {
    await recordPaymentEvent(deps.db, { ...audited, outcome: `rejected: ${(error as Error).message}` });
    throw error;
  }
}

/**
 * An operator's refund: the provider refunds the money first, then the credits
 * and bonus are clawed back (never below zero; the shortfall is recorded).
 */
export async function refundByOperator(deps: PaymentsDeps, paymentId: string, reason: string) {
  const payment = await findPayment(deps.db, paymentId);
  if (payment.status !== 'paid')
    throw new AppError('payment_not_refundable', `a ${payment.status} payment cannot be refunded`);
  await providerFor(deps, payment.provider).refund?.(payment);
  return refundPayment(deps.db, paymentId, reason, deps.clock.now());
}
