import type { Notice } from './ipc/views.ts';
import { describeEndReason } from './session-end.ts';

/**
 * The notices the app raises, defined once so the tray's system notifications
 * and the window's in-app banners use the same words and thresholds. Each is a
 * provider (after Mullvad's notification providers): `mayDisplay()` says
 * whether it applies now, `notice()` says it.
 */
export interface NoticeProvider {
  mayDisplay(): boolean;
  notice(): Notice;
}

/** Minutes of credit left at the current rate at which the user is warned, most urgent last. */
export const LOW_CREDIT_THRESHOLDS = [
  { kind: 'low_credit_15', minutes: 15 },
  { kind: 'low_credit_5', minutes: 5 },
] as const satisfies readonly { kind: Notice['kind']; minutes: number }[];

export type LowCreditThreshold = (typeof LOW_CREDIT_THRESHOLDS)[number];

/** Credit is running low: `secondsRemaining` at the current rate (null: nothing is connected). */
export class LowCreditNotice implements NoticeProvider {
  constructor(
    private readonly threshold: LowCreditThreshold,
    private readonly secondsRemaining: number | null,
  ) {}

  mayDisplay(): boolean {
    return this.secondsRemaining !== null && this.secondsRemaining <= this.threshold.minutes * 60;
  }

  notice(): Notice {
    const minutes = Math.max(0, Math.ceil((this.secondsRemaining ?? 0) / 60));
    return {
      kind: this.threshold.kind,
      title: `${this.threshold.minutes} minutes of credit left`,
      body: `At the current rate your credits last about ${minutes} more minute${minutes === 1 ? '' : 's'}. Add credits to stay connected.`,
    };
  }
}

const ENDED_TITLE: Record<string, string> = {
  insufficient_credits: 'Disconnected: out of credits',
  client_lost: 'Disconnected: connection lost',
  signed_out: 'Disconnected: signed out',
};

/** A session ended without the user asking (credits ran out, contact lost, signed out, …). */
export class SessionEndedNotice implements NoticeProvider {
  constructor(private readonly reason: string) {}

  mayDisplay(): boolean {
    // The user's own Disconnect needs no notice: they just clicked it.
    return this.reason !== 'disconnected';
  }

  notice(): Notice {
    return {
      kind: 'session_ended',
      title: ENDED_TITLE[this.reason] ?? 'Proxy session ended',
      body: `Your proxy session ended. ${describeEndReason(this.reason)}`,
    };
  }
}

/** Auto-connect at start could not connect; the window was not opened for it, so the user hears why here. */
export class AutoConnectFailedNotice implements NoticeProvider {
  constructor(private readonly message: string) {}

  mayDisplay(): boolean {
    return true;
  }

  notice(): Notice {
    return {
      kind: 'auto_connect_failed',
      title: 'Could not connect automatically',
      body: `${this.message} Open Atlantic Proxy to connect.`,
    };
  }
}

/** What became of the embedded billing service after it stopped unexpectedly. */
export type BillingRestart = { state: 'restarting'; attempt: number } | { state: 'restarted' } | { state: 'failed' };

/** The billing service on this machine stopped unexpectedly: the app restarts it and says so. */
export class BillingRestartNotice implements NoticeProvider {
  constructor(private readonly restart: BillingRestart) {}

  mayDisplay(): boolean {
    // One notice when it stops and one when it is back, not one per attempt.
    return this.restart.state !== 'restarting' || this.restart.attempt === 1;
  }

  notice(): Notice {
    const words: Record<BillingRestart['state'], [string, string]> = {
      restarting: [
        'Billing stopped unexpectedly',
        'Atlantic Proxy is restarting it; nothing is lost, and a live session resumes.',
      ],
      restarted: ['Billing is running again', 'Your balance and any live session are back.'],
      failed: [
        'Billing could not be restarted',
        'Quit and open Atlantic Proxy again. Your balance is kept on this computer.',
      ],
    };
    const [title, body] = words[this.restart.state];
    return { kind: 'billing_restart', title, body };
  }
}
