import type { BrowserWindow } from 'electron';
import type { CoreHost } from '../core/client-core-types.ts';
import { APP_ENTRY_URL } from './app-origin.ts';

type Page = Parameters<NonNullable<CoreHost['showWindow']>>[0];

/**
 * The one main window. Closing it only hides it — the app lives on in the tray
 * — until `allowClose()` at quit.
 */
export class MainWindow {
  private quitting = false;
  private visibilityListener: (visible: boolean) => void = () => undefined;

  constructor(readonly window: BrowserWindow) {
    window.on('close', (event) => {
      if (this.quitting) return;
      event.preventDefault();
      window.hide();
    });
    const report = (): void => this.visibilityListener(window.isVisible() && !window.isMinimized());
    window.on('show', report);
    window.on('hide', report);
    window.on('minimize', report);
    window.on('restore', report);
  }

  /** The wallet sync polls every 5 s while the window shows and every 30 s when it is hidden. */
  onVisibleChange(listener: (visible: boolean) => void): void {
    this.visibilityListener = listener;
  }

  /** Loads the renderer; the window appears once painted unless the app started hidden (at login). */
  load(showWhenReady: boolean): Promise<void> {
    if (showWhenReady) this.window.once('ready-to-show', () => this.window.show());
    return this.window.loadURL(APP_ENTRY_URL);
  }

  /** Brings the window forward (second instance, tray, Dock), optionally on one page (#/buy …). */
  show(page?: Page): void {
    if (this.window.isDestroyed()) return;
    // A fragment change on the loaded page is a same-document navigation: no reload.
    if (page) void this.window.loadURL(`${APP_ENTRY_URL}#/${page}`);
    if (this.window.isMinimized()) this.window.restore();
    this.window.show();
    this.window.focus();
  }

  allowClose(): void {
    this.quitting = true;
  }
}
