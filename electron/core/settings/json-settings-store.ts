import { readFileSync } from 'node:fs';
import { settingsSchema, type Settings } from '../../../shared/ipc/views.ts';
import type { SettingsStore } from '../client-core-types.ts';
import { DEFAULT_SETTINGS } from './default-settings.ts';
import { writePrivateFile } from './write-private-file.ts';

/**
 * Settings as one JSON file (the headless host and tests; the Electron shell
 * uses electron-store). A missing, unreadable or invalid file means defaults:
 * a hand-edited typo must never stop the app from starting.
 */
export class JsonSettingsStore implements SettingsStore {
  readonly #file: string;

  constructor(file: string) {
    this.#file = file;
  }

  read(): Settings {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(this.#file, 'utf8'));
    } catch {
      return { ...DEFAULT_SETTINGS };
    }
    // Fields added in later versions fall back to their defaults; a bad value makes the whole file defaults.
    const parsed = settingsSchema.safeParse({ ...DEFAULT_SETTINGS, ...(isObject(raw) ? raw : {}) });
    return parsed.success && isObject(raw) ? parsed.data : { ...DEFAULT_SETTINGS };
  }

  write(settings: Settings): void {
    writePrivateFile(this.#file, `${JSON.stringify(settingsSchema.parse(settings), null, 2)}\n`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
