import type { Updater } from '../core/update/updater.ts';
import { electronUpdaterPort } from '../core/update/electron-updater-port.ts';
import type { UpdateFeed } from '../core/update/update-feed.ts';

/**
 * electron-updater's updater for this platform (NSIS, dmg, AppImage or deb),
 * loaded only when there is a feed: without one the app never touches it.
 */
export async function loadUpdater(feed: UpdateFeed | null): Promise<Updater | null> {
  if (!feed) return null;
  const { default: electronUpdater } = await import('electron-updater');
  const updater = electronUpdater.autoUpdater;
  if (feed.from === 'env') updater.setFeedURL({ provider: 'generic', url: feed.url });
  return electronUpdaterPort(updater);
}
