import { describe, expect, it, vi } from 'vitest';
import { NoticeWatcher } from '../../../../electron/core/notices/notice-watcher.ts';
import type { ConnectionView, Notice } from '../../../../shared/ipc/views.ts';
import { walletOf } from '../../../support/wallet-fixtures.ts';

function watcher(notifications = true) {
  const emitted: Notice[] = [];
  const notify = vi.fn();
  const settings = { notifications };
  const watch = new NoticeWatcher({
    emit: (notice) => emitted.push(notice),
    notify,
    notificationsEnabled: () => settings.notifications,
  });
  return { watch, emitted, notify, settings };
}

const minutes = (m: number) => m * 60;
/** The wallet at the current rate with `seconds` left. */
const left = (seconds: number | null) => walletOf(1_000_000, seconds);

const ended = (reason: string, id = '6f1c1d7e-4a59-4f7e-9d8c-2f0d6f3b9a11'): ConnectionView => ({
  status: 'ended',
  reason,
  message: 'whatever the manager said',
  session: { id } as never,
});

describe('notice watcher', () => {
  it('fires the 15-minute and then the 5-minute warning exactly once each as credit runs down', () => {
    const { watch, emitted, notify } = watcher();
    for (let m = 30; m >= 0; m -= 0.5) watch.onWallet(left(minutes(m)));
    expect(emitted.map((n) => n.kind)).toEqual(['low_credit_15', 'low_credit_5']);
    expect(notify).toHaveBeenCalledTimes(2);
    expect(notify).toHaveBeenNthCalledWith(1, { title: emitted[0]!.title, body: emitted[0]!.body });
  });

  it('re-arms a warning only when the time left goes back above its threshold (a top-up)', () => {
    const { watch, emitted } = watcher();
    watch.onWallet(left(minutes(14)));
    watch.onWallet(left(minutes(14)));
    watch.onWallet(left(null)); // disconnected: nothing live, nothing re-armed
    watch.onWallet(left(minutes(13)));
    expect(emitted.map((n) => n.kind)).toEqual(['low_credit_15']);
    watch.onWallet(left(minutes(120))); // bought credits
    watch.onWallet(left(minutes(15)));
    expect(emitted.map((n) => n.kind)).toEqual(['low_credit_15', 'low_credit_15']);
  });

  it('falling past both thresholds between two polls gives one notice, the 5-minute one, and neither repeats', () => {
    const { watch, emitted } = watcher();
    watch.onWallet(left(minutes(20)));
    watch.onWallet(left(minutes(4)));
    watch.onWallet(left(minutes(3)));
    expect(emitted.map((n) => n.kind)).toEqual(['low_credit_5']);
  });

  it('ignores offline snapshots: their time left is stale', () => {
    const { watch, emitted } = watcher();
    watch.onWallet({ ...left(minutes(2)), offline: true });
    expect(emitted).toEqual([]);
  });

  it.each([
    ['insufficient_credits', 'Disconnected: out of credits', 'Your credits ran out.'],
    ['client_lost', 'Disconnected: connection lost', 'lost contact with the service'],
    ['signed_out', 'Disconnected: signed out', 'You signed out.'],
  ])('session ended %s → "%s"', (reason, title, words) => {
    const { watch, emitted } = watcher();
    watch.onConnection(ended(reason));
    expect(emitted).toHaveLength(1);
    expect(emitted[0]).toMatchObject({ kind: 'session_ended', title, body: expect.stringContaining(words) });
  });

  it('announces an ended session once, however often its state is re-sent, and nothing for other states', () => {
    const { watch, emitted } = watcher();
    watch.onConnection({ status: 'disconnected' });
    watch.onConnection(ended('insufficient_credits'));
    watch.onConnection(ended('insufficient_credits'));
    watch.onConnection(ended('client_lost', 'a0f1c1d7-4a59-4f7e-9d8c-2f0d6f3b9a11'));
    expect(emitted.map((n) => n.title)).toEqual(['Disconnected: out of credits', 'Disconnected: connection lost']);
  });

  it('with the notifications setting off the system shows nothing, but the window still hears every notice', () => {
    const { watch, emitted, notify, settings } = watcher(false);
    watch.onWallet(left(minutes(10)));
    watch.onConnection(ended('insufficient_credits'));
    watch.sessionEnded('signed_out');
    expect(notify).not.toHaveBeenCalled();
    expect(emitted.map((n) => n.kind)).toEqual(['low_credit_15', 'session_ended', 'session_ended']);
    settings.notifications = true;
    watch.onWallet(left(minutes(4)));
    expect(notify).toHaveBeenCalledTimes(1);
  });
});
