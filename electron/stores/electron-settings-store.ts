import { settingsSchema, type Settings } from '../../shared/ipc/views.ts';
import type { SettingsStore } from '../core/client-core-types.ts';
import { DEFAULT_SETTINGS } from '../core/settings/default-settings.ts';

/** The part of electron-store used here; main.ts passes `new Store({ name: 'settings' })`. */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

const KEY = 'settings';

/**
 * Settings in electron-store (an atomically written JSON file in the app's
 * user-data folder). Read the same way as the headless host's JSON store:
 * fields a newer version added take their defaults, and anything invalid means
 * defaults, so a damaged file never stops the app from starting.
 */
export class ElectronSettingsStore implements SettingsStore {
  constructor(private readonly store: KeyValueStore) {}

  read(): Settings {
    const stored = this.store.get(KEY);
    if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return { ...DEFAULT_SETTINGS };
    const parsed = settingsSchema.safeParse({ ...DEFAULT_SETTINGS, ...stored });
    return parsed.success ? parsed.data : { ...DEFAULT_SETTINGS };
  }

  write(settings: Settings): void {
    this.store.set(KEY, settingsSchema.parse(settings));
  }
}
