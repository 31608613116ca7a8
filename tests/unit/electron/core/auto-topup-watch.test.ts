import { describe, expect, it, vi } from 'vitest';
import { AutoTopupWatch } from '../../../../electron/core/notices/auto-topup-watch.ts';
import { NoticeWatcher } from '../../../../electron/core/notices/notice-watcher.ts';
import type { AutoTopupView } from '../../../../shared/api/auto-topup.ts';
import type { Notice } from '../../../../shared/ipc/views.ts';

const DECLINED = 'Your saved card was declined (Insufficient Funds); auto top-up is off.';

function view(over: Partial<AutoTopupView> = {}): AutoTopupView {
  return {
    available: true,
    enabled: true,
    package_id: 'usd_10',
    threshold: 2,
    threshold_micro: 2_000_000,
    monthly_cap_cents: 5_000,
    spent_this_month_cents: 0,
    disabled_reason: null,
    card: { brand: 'visa', last4: '4081', exp_month: 12, exp_year: 2030 },
    recent: [],
    ...over,
  };
}

const declined = (at: string) =>
  view({
    enabled: false,
    disabled_reason: DECLINED,
    recent: [
      { status: 'declined', amount_cents: 1_000, currency: 'USD', payment_id: `p-${at}`, detail: 'x', created_at: at },
    ],
  });

function setup(answers: AutoTopupView[], notificationsOn = true) {
  let now = 0;
  const emitted: Notice[] = [];
  const notify = vi.fn();
  const notices = new NoticeWatcher({
    emit: (notice) => emitted.push(notice),
    notify,
    notificationsEnabled: () => notificationsOn,
  });
  const fetch = vi.fn(async () => answers.shift() ?? view());
  const watch = new AutoTopupWatch({ fetch, turnedOff: (r) => notices.autoTopupOff(r), now: () => now });
  const look = async (advanceMs = 20_000) => {
    now += advanceMs;
    watch.onWallet();
    await vi.waitFor(() => expect(fetch.mock.results.every((r) => r.type !== 'incomplete')).toBe(true));
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { emitted, notify, fetch, look };
}

describe('auto top-up turned off by the service: told once, in the window and as a desktop notification', () => {
  it('a decline raises one auto_topup_off notice with the reason, shown as a notification', async () => {
    const t = setup([view(), declined('2026-01-01T12:00:00Z'), declined('2026-01-01T12:00:00Z')]);
    await t.look();
    expect(t.emitted).toEqual([]);
    await t.look();
    await t.look(); // the same decline seen again: not repeated
    expect(t.emitted).toEqual([
      {
        kind: 'auto_topup_off',
        title: 'Auto top-up is off',
        body: `${DECLINED} Check your card, then turn it on again in Settings.`,
      },
    ]);
    expect(t.notify).toHaveBeenCalledTimes(1);
    expect(t.notify).toHaveBeenCalledWith({ title: 'Auto top-up is off', body: t.emitted[0]!.body });
  });

  it('a later decline is told again; the user turning it off (no reason) is not a notice', async () => {
    const t = setup([declined('2026-01-01T12:00:00Z'), view({ enabled: false }), declined('2026-01-02T12:00:00Z')]);
    await t.look();
    await t.look();
    await t.look();
    expect(t.emitted.map((n) => n.kind)).toEqual(['auto_topup_off', 'auto_topup_off']);
  });

  it('looks at most once per interval however often the wallet changes, and survives a failed look', async () => {
    const t = setup([]);
    t.fetch.mockRejectedValueOnce(new Error('offline'));
    await t.look();
    await t.look(1_000);
    await t.look(1_000);
    expect(t.fetch).toHaveBeenCalledTimes(1);
    await t.look(20_000);
    expect(t.fetch).toHaveBeenCalledTimes(2);
  });

  it('with notifications off the window still shows it', async () => {
    const t = setup([declined('2026-01-01T12:00:00Z')], false);
    await t.look();
    expect(t.emitted).toHaveLength(1);
    expect(t.notify).not.toHaveBeenCalled();
  });
});
