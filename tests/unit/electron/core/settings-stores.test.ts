import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../../electron/core/settings/default-settings.ts';
import { FileTokenStore } from '../../../../electron/core/settings/file-token-store.ts';
import { JsonSettingsStore } from '../../../../electron/core/settings/json-settings-store.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'atlantic-settings-'));
});

describe('JSON settings store', () => {
  it('defaults: embedded billing, local proxy on 8899, no start at login, notifications on, no last location, system proxy and auto-connect off', () => {
    expect(new JsonSettingsStore(join(dir, 'none.json')).read()).toEqual({
      server_url: null,
      local_proxy_port: 8899,
      start_at_login: false,
      notifications: true,
      last_location: null,
      system_proxy: false,
      auto_connect: false,
    });
  });

  it('writes and reads back, creating the folder', () => {
    const store = new JsonSettingsStore(join(dir, 'nested', 'settings.json'));
    const settings = { ...DEFAULT_SETTINGS, local_proxy_port: 9050, last_location: { country: 'us', city: 'Austin' } };
    store.write(settings);
    expect(new JsonSettingsStore(join(dir, 'nested', 'settings.json')).read()).toEqual(settings);
  });

  it.each([
    ['not JSON', '{ server_url: '],
    ['a bad value', JSON.stringify({ local_proxy_port: 80 })],
    ['a list', '[]'],
    ['a bad URL', JSON.stringify({ server_url: 'file:///etc/passwd' })],
  ])('an invalid file (%s) reads as defaults', (_what, text) => {
    const file = join(dir, 'settings.json');
    writeFileSync(file, text);
    expect(new JsonSettingsStore(file).read()).toEqual(DEFAULT_SETTINGS);
  });

  it('a file missing newer fields keeps what it has and fills in the rest', () => {
    const file = join(dir, 'settings.json');
    writeFileSync(file, JSON.stringify({ notifications: false }));
    expect(new JsonSettingsStore(file).read()).toEqual({ ...DEFAULT_SETTINGS, notifications: false });
  });

  it('refuses to write invalid settings', () => {
    const store = new JsonSettingsStore(join(dir, 'settings.json'));
    expect(() => store.write({ ...DEFAULT_SETTINGS, local_proxy_port: 22 })).toThrow();
  });
});

describe('file token store', () => {
  it('keeps one token per service in a 0600 file, and forgets it on sign-out', () => {
    const file = join(dir, 'secrets', 'tokens.json');
    const store = new FileTokenStore(file);
    expect(store.read('https://a.example')).toBeUndefined();
    store.write('https://a.example', 'token-a');
    store.write('https://b.example', 'token-b');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(new FileTokenStore(file).read('https://a.example')).toBe('token-a');
    store.write('https://a.example', undefined);
    expect(store.read('https://a.example')).toBeUndefined();
    expect(store.read('https://b.example')).toBe('token-b');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ 'https://b.example': 'token-b' });
  });

  it('a damaged file means no tokens (signed out), not a crash', () => {
    const file = join(dir, 'tokens.json');
    writeFileSync(file, 'garbage');
    expect(new FileTokenStore(file).read('https://a.example')).toBeUndefined();
  });
});
