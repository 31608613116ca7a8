import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where updates come from: electron-builder writes `publish` (a generic HTTPS
 * feed) into the packaged app's resources as app-update.yml, and
 * ATLANTIC_UPDATE_URL, when set, points a packaged app at another https feed
 * (an operator's own). Unpackaged builds, and packages built without a feed,
 * have none: updates are off, quietly.
 */
export type UpdateFeed = { from: 'app-update.yml' } | { from: 'env'; url: string };

export function updateFeed(options: {
  packaged: boolean;
  resourcesPath: string;
  env: NodeJS.ProcessEnv;
  exists?: (path: string) => boolean;
}): UpdateFeed | null {
  if (!options.packaged) return null;
  const url = options.env.ATLANTIC_UPDATE_URL?.trim();
  if (url) return URL.canParse(url) && new URL(url).protocol === 'https:' ? { from: 'env', url } : null;
  const exists = options.exists ?? existsSync;
  return exists(join(options.resourcesPath, 'app-update.yml')) ? { from: 'app-update.yml' } : null;
}
