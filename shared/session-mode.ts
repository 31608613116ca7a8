import { z } from 'zod';

/** Sticky: one exit identity for a lifetime the user picks; rotating: a new one per connection. */
export const SESSION_MODES = ['sticky', 'rotating'] as const;
export type SessionMode = (typeof SESSION_MODES)[number];

/** The lifetimes a sticky identity may have, in minutes. */
export const STICKY_MINUTES = [10, 30, 60] as const;
export type StickyMinutes = (typeof STICKY_MINUTES)[number];
export const DEFAULT_STICKY_MINUTES: StickyMinutes = 10;

export const sessionModeSchema = z.enum(SESSION_MODES);
export const stickyMinutesSchema = z.union([z.literal(10), z.literal(30), z.literal(60)]);

/** How a session's mode reads on screen and in the tray: "Sticky IP · 30 min", "Rotating IP". */
export function sessionModeLabel(mode: SessionMode, stickyMinutes: number): string {
  return mode === 'rotating' ? 'Rotating IP' : `Sticky IP · ${stickyMinutes} min`;
}

/** " · Sticky IP · 10 min" or " · Rotating IP" for a session that says which; "" for one that does not. */
export function sessionModeSuffix(session: {
  session_mode?: SessionMode | undefined;
  sticky_minutes?: number | null | undefined;
}): string {
  return session.session_mode
    ? ` · ${sessionModeLabel(session.session_mode, session.sticky_minutes ?? DEFAULT_STICKY_MINUTES)}`
    : '';
}
