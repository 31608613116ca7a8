import type { AppUpdater, ProgressInfo } from 'electron-updater';
import type { DownloadProgress, Updater } from './updater.ts';

/** The part of electron-updater's AppUpdater the flow drives. */
export type AppUpdaterLike = Pick<
  AppUpdater,
  'checkForUpdates' | 'downloadUpdate' | 'quitAndInstall' | 'on' | 'off' | 'autoDownload' | 'autoInstallOnAppQuit'
>;

/**
 * electron-updater behind the flow's Updater: no download before the flow
 * asks (autoDownload off), progress from its 'download-progress' events.
 * A downloaded update still left at quit is installed then (autoInstallOnAppQuit),
 * after the quit sequence has ended the session.
 */
export function electronUpdaterPort(updater: AppUpdaterLike): Updater {
  updater.autoDownload = false;
  updater.autoInstallOnAppQuit = true;
  return {
    async check() {
      const result = await updater.checkForUpdates();
      return result?.isUpdateAvailable ? { version: result.updateInfo.version } : null;
    },
    async download(onProgress) {
      const listener = (info: ProgressInfo) =>
        onProgress({
          percent: info.percent,
          transferred: info.transferred,
          total: info.total,
        } satisfies DownloadProgress);
      updater.on('download-progress', listener);
      try {
        await updater.downloadUpdate();
      } finally {
        updater.off('download-progress', listener);
      }
    },
    install() {
      updater.quitAndInstall();
    },
  };
}
