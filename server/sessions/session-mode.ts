import { AppError } from '../../shared/errors.ts';
import { DEFAULT_STICKY_MINUTES, type SessionMode } from '../../shared/session-mode.ts';
import type { Queryable } from '../db/types.ts';
import type { ExitSupply } from '../locations/exit-supply.ts';

export interface ChosenMode {
  mode: SessionMode;
  /** Null for rotating. */
  stickyMinutes: number | null;
}

/**
 * What connect asked for, checked before the session exists: rotating needs
 * exits whose URL takes `{session}` (the direct exit has one address only).
 */
export function chooseSessionMode(
  exits: ExitSupply,
  request: { session_mode?: SessionMode | undefined; sticky_minutes?: number | undefined },
): ChosenMode {
  const mode = request.session_mode ?? 'sticky';
  if (mode === 'rotating') {
    if (!exits.exit.can_rotate) {
      throw new AppError(
        'invalid_input',
        exits.exit.kind === 'direct'
          ? 'the direct exit cannot rotate: traffic always leaves from the gateway’s own address'
          : 'these exits cannot rotate: none takes a {session} in its URL',
      );
    }
    if (request.sticky_minutes !== undefined) {
      throw new AppError('invalid_input', 'sticky_minutes is for a sticky session only');
    }
    return { mode, stickyMinutes: null };
  }
  return { mode, stickyMinutes: request.sticky_minutes ?? DEFAULT_STICKY_MINUTES };
}

/** Stores the mode on the new session, before its credentials are handed out. */
export async function storeSessionMode(db: Queryable, sessionId: string, chosen: ChosenMode): Promise<void> {
  await db.query('UPDATE proxy_sessions SET session_mode = $2, sticky_minutes = $3 WHERE id = $1', [
    sessionId,
    chosen.mode,
    chosen.stickyMinutes ?? DEFAULT_STICKY_MINUTES,
  ]);
}
