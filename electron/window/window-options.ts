import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The main window, hardened per Electron's security checklist: the renderer
 * runs sandboxed in an isolated world with no Node, and reaches the core only
 * through the preload's `window.atlantic`.
 */
export function mainWindowOptions(paths: { preload: string; icon?: string }): BrowserWindowConstructorOptions {
  return {
    width: 1100,
    height: 760,
    minWidth: 800,
    minHeight: 600,
    title: 'Atlantic Proxy',
    // Shown on 'ready-to-show', so the window never flashes blank.
    show: false,
    ...(paths.icon ? { icon: paths.icon } : {}),
    webPreferences: {
      preload: paths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}
