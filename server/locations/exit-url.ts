import type { Targeting } from '../../shared/targeting.ts';
import { PLACEHOLDERS, type Exit, type Placeholder } from './exits.ts';

const PLACEHOLDER = /\{([a-z]+)\}/g;

/** The placeholders an exit URL uses, e.g. `{city}` in `http://user-city-{city}:pw@host:7000`. */
export function placeholdersIn(url: string): string[] {
  return [...url.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

export const isPlaceholder = (name: string): name is Placeholder => (PLACEHOLDERS as readonly string[]).includes(name);

/**
 * Wholesale providers take targeting in the proxy username, lower case with no
 * spaces (`new_york`); the value is percent-encoded so `AT&T` or `d'Azur` stay
 * inside the URL's userinfo.
 */
export function placeholderValue(value: string): string {
  return encodeURIComponent(value.trim().toLowerCase().replace(/\s+/g, '_'));
}

function valuesFor(targeting: Targeting, sessionId: string): Partial<Record<Placeholder, string>> {
  return { ...targeting, session: sessionId };
}

/** True when the session gives a value for every placeholder in the exit's URL. */
export function canFill(exit: Exit, targeting: Targeting): boolean {
  const values = valuesFor(targeting, 'session');
  return placeholdersIn(exit.url).every((name) => isPlaceholder(name) && values[name] !== undefined);
}

/** The upstream proxy URL for this session, or null for a direct exit. */
export function upstreamUrlFor(exit: Exit, targeting: Targeting, sessionId: string): string | null {
  if (exit.url === 'direct') return null;
  const values = valuesFor(targeting, sessionId);
  return exit.url.replace(PLACEHOLDER, (whole, name: string) => {
    const value = isPlaceholder(name) ? values[name] : undefined;
    if (value === undefined) throw new Error(`exit ${exit.id}: no value for ${whole}`);
    return placeholderValue(value);
  });
}
