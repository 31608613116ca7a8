export interface DownloadProgress {
  percent: number;
  transferred: number;
  total: number;
}

/**
 * What the update flow needs of an updater: electron-updater in the app
 * (`electron-updater-port.ts`), a fake or a real feed in tests.
 */
export interface Updater {
  /** Asks the feed: the newer version on offer, or null when this one is the latest. */
  check(): Promise<{ version: string } | null>;
  /** Downloads what `check` found, reporting progress; resolves when it is ready to install. */
  download(onProgress: (progress: DownloadProgress) => void): Promise<void>;
  /** Quits the app and installs the downloaded version (the app comes back updated). */
  install(): void;
}
