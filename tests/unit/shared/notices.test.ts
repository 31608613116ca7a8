import { describe, expect, it } from 'vitest';
import { LOW_CREDIT_THRESHOLDS, LowCreditNotice, SessionEndedNotice } from '../../../shared/notices.ts';
import { describeEndReason } from '../../../shared/session-end.ts';

const [fifteen, five] = LOW_CREDIT_THRESHOLDS;

describe('notices defined once in shared/', () => {
  it('low-credit thresholds are 15 and 5 minutes, most urgent last', () => {
    expect(LOW_CREDIT_THRESHOLDS.map((t) => [t.kind, t.minutes])).toEqual([
      ['low_credit_15', 15],
      ['low_credit_5', 5],
    ]);
  });

  it('a low-credit notice applies at or under its threshold, with something live, and says the minutes left', () => {
    expect(new LowCreditNotice(fifteen, 15 * 60 + 1).mayDisplay()).toBe(false);
    expect(new LowCreditNotice(fifteen, 15 * 60).mayDisplay()).toBe(true);
    expect(new LowCreditNotice(fifteen, null).mayDisplay()).toBe(false);
    expect(new LowCreditNotice(five, 299).notice()).toEqual({
      kind: 'low_credit_5',
      title: '5 minutes of credit left',
      body: 'At the current rate your credits last about 5 more minutes. Add credits to stay connected.',
    });
    expect(new LowCreditNotice(five, 50).notice().body).toContain('about 1 more minute.');
  });

  it.each([
    ['insufficient_credits', 'Disconnected: out of credits'],
    ['client_lost', 'Disconnected: connection lost'],
    ['signed_out', 'Disconnected: signed out'],
    ['admin', 'Proxy session ended'],
  ])('session ended (%s): "%s", with the reason in the shared words', (reason, title) => {
    const provider = new SessionEndedNotice(reason);
    expect(provider.mayDisplay()).toBe(true);
    expect(provider.notice()).toEqual({
      kind: 'session_ended',
      title,
      body: `Your proxy session ended. ${describeEndReason(reason)}`,
    });
  });

  it('the out-of-credits notice tells the user what to do', () => {
    expect(new SessionEndedNotice('insufficient_credits').notice().body).toBe(
      'Your proxy session ended. Your credits ran out. Add credits and connect again.',
    );
  });

  it('a plain disconnect raises no notice', () => {
    expect(new SessionEndedNotice('disconnected').mayDisplay()).toBe(false);
  });
});
