import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../../electron/core/settings/default-settings.ts';
import { ElectronSettingsStore, type KeyValueStore } from '../../../../electron/stores/electron-settings-store.ts';

/** electron-store's get/set over a Map (the real one needs Electron to find its folder). */
function memoryStore(initial?: unknown): KeyValueStore & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>(initial === undefined ? [] : [['settings', initial]]);
  return { data, get: (key) => data.get(key), set: (key, value) => void data.set(key, value) };
}

describe('ElectronSettingsStore', () => {
  it('starts from the defaults and keeps what is written', () => {
    const backing = memoryStore();
    const store = new ElectronSettingsStore(backing);
    expect(store.read()).toEqual(DEFAULT_SETTINGS);
    const changed = { ...DEFAULT_SETTINGS, start_at_login: true, local_proxy_port: 9000 };
    store.write(changed);
    expect(new ElectronSettingsStore(backing).read()).toEqual(changed);
  });

  it('fills fields an older version did not store with their defaults', () => {
    expect(new ElectronSettingsStore(memoryStore({ notifications: false })).read()).toEqual({
      ...DEFAULT_SETTINGS,
      notifications: false,
    });
  });

  it('falls back to the defaults when the stored value is damaged', () => {
    for (const damaged of ['oops', [1, 2], { local_proxy_port: 80 }, { server_url: 'ftp://x' }]) {
      expect(new ElectronSettingsStore(memoryStore(damaged)).read()).toEqual(DEFAULT_SETTINGS);
    }
  });

  it('refuses to write invalid settings', () => {
    const store = new ElectronSettingsStore(memoryStore());
    expect(() => store.write({ ...DEFAULT_SETTINGS, local_proxy_port: 22 })).toThrow();
  });
});
