import type { Session, WebContents } from 'electron';
import { APP_ORIGIN, isAppUrl, originOf } from './app-origin.ts';

export interface ExternalLinks {
  allows(url: string): boolean;
  /** shell.openExternal in the app. */
  open(url: string): Promise<void>;
}

/** What the renderer may ask the browser for: writing the proxy address to the clipboard. */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write']);

/**
 * Keeps the window on the app: navigation away is cancelled, new windows are
 * refused, webviews never attach. A link to an allow-listed checkout host opens
 * in the system browser instead; every other URL goes nowhere.
 */
export function guardNavigation(contents: WebContents, links: ExternalLinks, onRefused?: (url: string) => void): void {
  const leave = (url: string): void => {
    if (links.allows(url)) void links.open(url).catch(() => onRefused?.(url));
    else onRefused?.(url);
  };
  contents.on('will-navigate', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    leave(event.url);
  });
  contents.on('will-redirect', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    leave(url);
    return { action: 'deny' };
  });
}

/** Refuses every permission except the allow-listed ones, and those only to the app's own pages. */
export function restrictPermissions(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
): void {
  const allowed = (permission: string, origin: string | null): boolean =>
    ALLOWED_PERMISSIONS.has(permission) && origin === APP_ORIGIN;
  session.setPermissionRequestHandler((contents, permission, callback) => {
    callback(allowed(permission, originOf(contents.getURL())));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    allowed(permission, originOf(requestingOrigin)),
  );
}
