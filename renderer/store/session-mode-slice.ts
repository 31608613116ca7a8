import { DEFAULT_STICKY_MINUTES, type SessionMode, type StickyMinutes } from '../../shared/session-mode.ts';
import type { SliceOf } from './app-store.ts';

export interface SessionModeSlice {
  /** How the next session's exit identity behaves: sticky for `stickyMinutes`, or rotating. */
  sessionMode: SessionMode;
  stickyMinutes: StickyMinutes;
  chooseSessionMode(mode: SessionMode, stickyMinutes?: StickyMinutes): void;
}

/** What connect sends beside the place. */
export function modeRequestOf(state: Pick<SessionModeSlice, 'sessionMode' | 'stickyMinutes'>) {
  return state.sessionMode === 'rotating'
    ? { session_mode: 'rotating' as const }
    : { session_mode: 'sticky' as const, sticky_minutes: state.stickyMinutes };
}

export const createSessionModeSlice: SliceOf<SessionModeSlice> = (set) => ({
  sessionMode: 'sticky',
  stickyMinutes: DEFAULT_STICKY_MINUTES,
  chooseSessionMode: (mode, stickyMinutes) =>
    set((s) => ({ sessionMode: mode, stickyMinutes: stickyMinutes ?? s.stickyMinutes })),
});
