import type { Notice } from './ipc/views.ts';
import type { NoticeProvider } from './notices.ts';

/** The service turned auto top-up off (the saved card was declined, or Paystack could not be reached). */
export class AutoTopupOffNotice implements NoticeProvider {
  constructor(private readonly reason: string | null) {}

  mayDisplay(): boolean {
    return this.reason !== null;
  }

  notice(): Notice {
    return {
      kind: 'auto_topup_off',
      title: 'Auto top-up is off',
      body: `${this.reason ?? ''} Check your card, then turn it on again in Settings.`.trim(),
    };
  }
}
