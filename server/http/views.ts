import { amount } from '../../shared/api/amounts.ts';
import type { TransactionView, PaymentView } from '../../shared/api/credits.ts';
import type { SessionView } from '../../shared/api/proxy.ts';
import type { MicroCredits } from '../../shared/money.ts';
import { msRemaining } from '../../shared/pricing.ts';
import type { LedgerEntry } from '../ledger/entries.ts';
import { DEFAULT_STICKY_MINUTES } from '../../shared/session-mode.ts';
import type { SessionUsage } from '../ledger/list-activity.ts';
import type { ProxySession } from '../sessions/session-row.ts';
import type { Payment } from '../payments/pending-payments.ts';

/** Domain objects to the shared response shapes: snake_case, amounts in credits and µcr, ISO dates. */

export function transactionView(entry: LedgerEntry & { session?: SessionUsage | null }): TransactionView {
  const session = entry.session ?? null;
  return {
    // A live session's running line has no entry yet: it is named by its session.
    id: session?.live ? `session:${entry.sessionId}` : entry.id.toString(),
    kind: entry.kind,
    ...amount('amount', entry.amount),
    ...amount('balance_after', entry.balanceAfter),
    description: session ? usageDescription(session) : entry.description,
    session_id: entry.sessionId,
    payment_id: entry.paymentId,
    created_at: entry.createdAt.toISOString(),
    session: session && {
      live: session.live,
      tier: session.tier,
      location: session.targeting,
      duration_seconds: Math.floor(session.servedMs / 1000),
      bytes_up: Number(session.bytesUp),
      bytes_down: Number(session.bytesDown),
    },
  };
}

/** "Proxy usage (live) · US, Boston · 3 h 20 min · 12.3 MB": one session on one line, for the list and the CSV. */
function usageDescription(session: SessionUsage): string {
  const t = session.targeting;
  const where = [t.country?.toUpperCase(), t.state, t.city, t.isp].filter(Boolean).join(', ');
  const minutes = Math.floor(session.servedMs / 60_000);
  const took = minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
  const bytes = Number(session.bytesUp + session.bytesDown);
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  const power = Math.min(units.length - 1, Math.floor(Math.log10(Math.max(1, bytes)) / 3));
  const traffic = `${(bytes / 1000 ** power).toFixed(power === 0 ? 0 : 1)} ${units[power]}`;
  return [`Proxy usage${session.live ? ' (live)' : ''}`, where, took, traffic].join(' · ');
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
    session_mode: session.sessionMode ?? 'sticky',
    sticky_minutes: session.sessionMode === 'rotating' ? null : (session.stickyMinutes ?? DEFAULT_STICKY_MINUTES),
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
    failure_reason: payment.failureReason,
  };
}
