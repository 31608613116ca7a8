import type { Targeting } from '../../shared/targeting.ts';
import { canFill } from './exit-url.ts';
import type { Exit } from './exits.ts';

const same = (a: string, b: string) => a.localeCompare(b, 'en', { sensitivity: 'accent' }) === 0;
const NARROWING = ['state', 'city', 'isp'] as const;

interface Fit {
  /** Tags the exit shares with the session: more is a closer match. */
  matched: number;
  /** Tags narrower than the session asked for (a New York exit for a US session): fewer is better. */
  narrower: number;
}

/**
 * How an exit fits a session's targeting, or null when it cannot serve it: its
 * country must be the session's, no tag may contradict the session's choice (a
 * London exit never carries a Paris session), and its URL's placeholders must
 * all have values. A state tag is implied by the session's city when the exit
 * names that city too.
 */
function fitOf(exit: Exit, targeting: Targeting): Fit | null {
  if (exit.tags.country !== targeting.country || !canFill(exit, targeting)) return null;
  const fit: Fit = { matched: 0, narrower: 0 };
  for (const key of NARROWING) {
    const tag = exit.tags[key];
    if (tag === undefined) continue;
    const wanted = targeting[key];
    if (wanted !== undefined) {
      if (!same(tag, wanted)) return null;
      fit.matched += 1;
    } else if (key === 'state' && exit.tags.city && targeting.city && same(exit.tags.city, targeting.city)) {
      fit.matched += 1;
    } else {
      fit.narrower += 1;
    }
  }
  return fit;
}

const better = (a: Fit, b: Fit) => a.matched > b.matched || (a.matched === b.matched && a.narrower < b.narrower);

/** The exit that serves a session's targeting most specifically; the first listed wins a tie. */
export function pickExit(exits: readonly Exit[], targeting: Targeting): Exit | undefined {
  let best: { exit: Exit; fit: Fit } | undefined;
  for (const exit of exits) {
    const fit = fitOf(exit, targeting);
    if (fit && (!best || better(fit, best.fit))) best = { exit, fit };
  }
  return best?.exit;
}
