import { randomBytes } from 'node:crypto';
import type { SessionMode } from '../../shared/session-mode.ts';

/** What the gateway needs to fill an exit URL's `{session}` for one connection. */
export interface ExitIdentityRule {
  mode: SessionMode;
  stickyMinutes: number;
  /** When the session started (ms): sticky lifetimes count from here. */
  startedAt: number;
}

/**
 * The `{session}` value for a new connection, letters and digits only, as
 * wholesale providers take it. Sticky: the same for every connection within
 * one lifetime, then the next (every gateway computes the same value, with no
 * shared state). Rotating: a fresh random value every time.
 */
export function exitIdentity(sessionId: string, rule: ExitIdentityRule, now: number): string {
  const base = sessionId.replaceAll('-', '').slice(0, 20);
  if (rule.mode === 'rotating') return `${base}r${randomBytes(6).toString('hex')}`;
  const lifetime = Math.max(0, Math.floor((now - rule.startedAt) / (rule.stickyMinutes * 60_000)));
  return `${base}s${lifetime}`;
}
