import type { Session } from 'electron';

/**
 * The renderer's Content-Security-Policy. Scripts and styles only from the app
 * itself (no inline, no eval); the renderer talks to the core through
 * `window.atlantic`, so it needs no network beyond its own origin. `extraConnect`
 * lets a shell that bridges over WebSocket (the headless host) add its socket.
 */
export function contentSecurityPolicy(extraConnect: readonly string[] = []): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'", ...extraConnect],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-src': ["'none'"],
    'frame-ancestors': ["'none'"],
    'worker-src': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/** Adds the policy to every response the window's session receives (defence in depth: the app protocol sets it too). */
export function applyContentSecurityPolicy(session: Pick<Session, 'webRequest'>, policy: string): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } });
  });
}
