// The renderer is served from a privileged custom scheme instead of file://, so
// it has a real origin: CSP 'self', the IPC sender check and the navigation
// guard all compare against this one string.
export const APP_SCHEME = 'app';
export const APP_HOST = 'atlantic';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** The origin of a URL, or null for anything unparsable. Opaque origins ('null') stay 'null'. */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    // WHATWG URL reports 'null' for non-special schemes like app:; rebuild it from the parts.
    return parsed.origin !== 'null' ? parsed.origin : parsed.host ? `${parsed.protocol}//${parsed.host}` : 'null';
  } catch {
    return null;
  }
}

export const isAppUrl = (url: string): boolean => originOf(url) === APP_ORIGIN;
