import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UPDATE_CHECK_INTERVAL_MS, UpdateFlow } from '../../../../electron/core/update/update-flow.ts';
import type { Updater } from '../../../../electron/core/update/updater.ts';

const HOUR = 60 * 60 * 1000;

/** An updater that offers `offer` (null: up to date) and records what it was asked. */
function fakeUpdater(offer: { version: string } | null) {
  const asked = { checks: 0, downloads: 0, installs: 0 };
  const updater: Updater = {
    check: async () => {
      asked.checks += 1;
      return offer;
    },
    download: async (onProgress) => {
      asked.downloads += 1;
      onProgress({ percent: 50.7, transferred: 1, total: 2 });
    },
    install: () => void (asked.installs += 1),
  };
  return { updater, asked };
}

describe('update flow', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('checks at start and every 6 hours after, until stopped', async () => {
    const { updater, asked } = fakeUpdater(null);
    const flow = new UpdateFlow({ updater, isLive: () => false, onStatus: () => {} });
    expect(UPDATE_CHECK_INTERVAL_MS).toBe(6 * HOUR);
    await flow.start();
    expect(asked.checks).toBe(1);
    await vi.advanceTimersByTimeAsync(6 * HOUR - 1);
    expect(asked.checks).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(asked.checks).toBe(2);
    await vi.advanceTimersByTimeAsync(6 * HOUR);
    expect(asked.checks).toBe(3);
    expect(flow.status.state).toBe('idle');
    flow.stop();
    await vi.advanceTimersByTimeAsync(24 * HOUR);
    expect(asked.checks).toBe(3);
  });

  it('downloads once; later checks leave a ready update alone; progress is whole percents', async () => {
    const { updater, asked } = fakeUpdater({ version: '2.0.0' });
    const percents: (number | null)[] = [];
    const flow = new UpdateFlow({ updater, isLive: () => false, onStatus: (s) => percents.push(s.percent) });
    await Promise.all([flow.start(), flow.check()]);
    await vi.advanceTimersByTimeAsync(12 * HOUR);
    expect(asked).toEqual({ checks: 1, downloads: 1, installs: 0 });
    expect(percents).toEqual([null, 0, 50, 100]);
    expect(flow.status).toEqual({ state: 'ready', version: '2.0.0', percent: 100, message: null });
    flow.stop();
  });

  it('never installs by itself, and refuses to while a session is live', async () => {
    const { updater, asked } = fakeUpdater({ version: '2.0.0' });
    let live = true;
    const flow = new UpdateFlow({ updater, isLive: () => live, onStatus: () => {} });
    await flow.check();
    await vi.advanceTimersByTimeAsync(48 * HOUR);
    expect(asked.installs).toBe(0);
    expect(() => flow.restart()).toThrow(expect.objectContaining({ code: 'session_live' }));
    live = false;
    flow.restart();
    expect(asked.installs).toBe(1);
  });

  it('without a feed: disabled, never checks, nothing to restart to', async () => {
    const statuses: string[] = [];
    const flow = new UpdateFlow({ updater: null, isLive: () => false, onStatus: (s) => statuses.push(s.state) });
    await flow.start();
    await vi.advanceTimersByTimeAsync(24 * HOUR);
    expect(flow.status.state).toBe('disabled');
    expect(statuses).toEqual([]);
    expect(() => flow.restart()).toThrow(expect.objectContaining({ code: 'no_update_ready' }));
  });
});
