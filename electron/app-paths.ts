import { join } from 'node:path';

export interface AppPaths {
  preload: string;
  /** The Vite build of the renderer, served as app://atlantic/. */
  renderer: string;
  /** The embedded billing service's child entry, run in a utility process. */
  serviceEntry: string;
  /** tray-<state>.png and the window icon. */
  icons: string;
}

/**
 * Where the built pieces are. The bundles sit in out/electron/ next to
 * out/renderer/; icons come from build/icons in a checkout and from the
 * resources folder in a packaged app (electron-builder's extraResources).
 */
export function appPaths(bundleDir: string, packaged: { resourcesPath: string } | null): AppPaths {
  const root = join(bundleDir, '..', '..');
  return {
    preload: join(bundleDir, 'preload.cjs'),
    renderer: join(root, 'out', 'renderer'),
    serviceEntry: join(bundleDir, 'service-process.mjs'),
    icons: packaged ? join(packaged.resourcesPath, 'icons') : join(root, 'build', 'icons'),
  };
}
