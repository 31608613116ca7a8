import type { WalletSnapshot } from '../../shared/ipc/views.ts';

export interface Speed {
  /** Bytes a second, client → site and back, between the last two snapshots. */
  up: number;
  down: number;
}

/**
 * Live speed from the byte counts the core syncs with each snapshot: the
 * difference over the time between them. Null when nothing is live; the
 * previous speed when the snapshot is no newer.
 */
export function speedBetween(
  previous: WalletSnapshot | null,
  next: WalletSnapshot,
  previousSpeed: Speed | null,
): Speed | null {
  const now = next.active_session;
  if (!now || now.status !== 'active') return null;
  const before = previous?.active_session;
  if (!before || before.id !== now.id || !previous?.fetched_at || !next.fetched_at) return previousSpeed;
  const seconds = (Date.parse(next.fetched_at) - Date.parse(previous.fetched_at)) / 1000;
  if (!(seconds > 0)) return previousSpeed;
  return {
    up: Math.max(0, (now.bytes_up - before.bytes_up) / seconds),
    down: Math.max(0, (now.bytes_down - before.bytes_down) / seconds),
  };
}
