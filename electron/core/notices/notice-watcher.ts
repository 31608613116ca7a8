import type { ConnectionView, Notice, WalletSnapshot } from '../../../shared/ipc/views.ts';
import {
  AutoConnectFailedNotice,
  BillingRestartNotice,
  type BillingRestart,
  LOW_CREDIT_THRESHOLDS,
  LowCreditNotice,
  SessionEndedNotice,
  type NoticeProvider,
} from '../../../shared/notices.ts';
import { AutoTopupOffNotice } from '../../../shared/auto-topup-notice.ts';

export interface NoticeWatcherOptions {
  /** Every notice, for the window (app.notice), whatever the notification setting. */
  emit: (notice: Notice) => void;
  /** The system notification, shown only when the user's setting allows it. */
  notify?: ((notice: { title: string; body: string }) => void) | undefined;
  notificationsEnabled: () => boolean;
}

/**
 * Derives the low-credit and session-ended notices from what the core
 * already watches. Each low-credit warning fires once, and is re-armed only
 * when the time left climbs back above its threshold (a top-up, a cheaper
 * session): a poll every few seconds must not repeat it.
 */
export class NoticeWatcher {
  readonly #options: NoticeWatcherOptions;
  readonly #fired = new Set<Notice['kind']>();
  #lastEndedSession: string | null | undefined;

  constructor(options: NoticeWatcherOptions) {
    this.#options = options;
  }

  onWallet(snapshot: WalletSnapshot): void {
    // An offline snapshot's time left is stale: judge only fresh answers.
    if (snapshot.offline || !snapshot.balance) return;
    const seconds = snapshot.balance.seconds_remaining_at_current_rate;
    if (seconds === null) return;
    const due = LOW_CREDIT_THRESHOLDS.filter((threshold) => {
      const provider = new LowCreditNotice(threshold, seconds);
      if (!provider.mayDisplay()) this.#fired.delete(threshold.kind);
      return provider.mayDisplay() && !this.#fired.has(threshold.kind);
    });
    if (due.length === 0) return;
    // Passing both thresholds between two polls: one notice, the most urgent; neither repeats.
    for (const threshold of due) this.#fired.add(threshold.kind);
    this.#raise(new LowCreditNotice(due[due.length - 1]!, seconds));
  }

  onConnection(view: ConnectionView): void {
    if (view.status !== 'ended') return;
    const sessionId = view.session?.id ?? null;
    // The same end is announced once, however many times the state is re-sent.
    if (sessionId === this.#lastEndedSession) return;
    this.#lastEndedSession = sessionId;
    this.#raise(new SessionEndedNotice(view.reason));
  }

  /** A session the core ended on the user's behalf for another reason than Disconnect (sign-out). */
  sessionEnded(reason: string): void {
    this.#raise(new SessionEndedNotice(reason));
  }

  /** The service turned auto top-up off (a declined card): window notice and desktop notification. */
  autoTopupOff(reason: string): void {
    this.#raise(new AutoTopupOffNotice(reason));
  }

  /** Auto-connect at start failed: said in a notification, since the window stays closed. */
  autoConnectFailed(message: string): void {
    this.#raise(new AutoConnectFailedNotice(message));
  }

  /** The embedded billing service stopped unexpectedly, is being restarted, is back, or could not be. */
  billingRestart(restart: BillingRestart): void {
    this.#raise(new BillingRestartNotice(restart));
  }

  #raise(provider: NoticeProvider): void {
    if (!provider.mayDisplay()) return;
    const notice = provider.notice();
    this.#options.emit(notice);
    if (this.#options.notificationsEnabled()) this.#options.notify?.({ title: notice.title, body: notice.body });
  }
}
