import { amount } from '../../shared/api/amounts.ts';
import type { TransactionView, PaymentView } from '../../shared/api/credits.ts';
import type { SessionView } from '../../shared/api/proxy.ts';
import type { MicroCredits } from '../../shared/money.ts';
import { msRemaining } from '../../shared/pricing.ts';
import type { LedgerEntry } from '../ledger/entries.ts';
import type { ProxySession } from '../sessions/session-row.ts';
import type { Payment } from '../payments/pending-payments.ts';

/** Domain objects to the shared response shapes: snake_case, amounts in credits and µcr, ISO dates. */

export function transactionView(entry: LedgerEntry): TransactionView {
  return {
    id: entry.id.toString(),
    kind: entry.kind,
    ...amount('amount', entry.amount),
    ...amount('balance_after', entry.balanceAfter),
    description: entry.description,
    session_id: entry.sessionId,
    payment_id: entry.paymentId,
    created_at: entry.createdAt.toISOString(),
  };
}

export function sessionView(session: ProxySession, balance: MicroCredits, now: number): SessionView {
  const end = session.endedAt?.getTime() ?? now;
  return {
    id: session.id,
    status: session.status,
    targeting: session.targeting,
    tier: session.tier,
    ...amount('rate_per_hour', session.rate),
    started_at: session.startedAt.toISOString(),
    ended_at: session.endedAt?.toISOString() ?? null,
    end_reason: session.endReason,
    ...amount('cost', session.chargedTotal),
    duration_seconds: Math.max(0, Math.floor((end - session.startedAt.getTime()) / 1000)),
    seconds_remaining: session.status === 'active' ? Number(msRemaining(balance, session.rate) / 1000n) : null,
    bytes_up: Number(session.bytesUp),
    bytes_down: Number(session.bytesDown),
  };
}

export function paymentView(payment: Payment, testMode: boolean): PaymentView {
  return {
    payment_id: payment.id,
    package_id: payment.packageId,
    method: payment.provider,
    status: payment.status,
    checkout_url: payment.checkoutUrl,
    amount_cents: payment.amount,
    currency: payment.currency,
    ...amount('credits', payment.credits),
    ...amount('bonus', payment.bonus),
    test_mode: testMode,
    created_at: payment.createdAt.toISOString(),
    paid_at: payment.paidAt?.toISOString() ?? null,
  };
}
