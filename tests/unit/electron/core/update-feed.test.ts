import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { updateFeed } from '../../../../electron/core/update/update-feed.ts';

describe('update feed', () => {
  const resources = mkdtempSync(join(tmpdir(), 'atlantic-resources-'));
  const withYml = mkdtempSync(join(tmpdir(), 'atlantic-resources-'));
  writeFileSync(join(withYml, 'app-update.yml'), 'provider: generic\nurl: https://updates.example/desktop\n');

  it('a packaged app reads the app-update.yml electron-builder wrote from `publish`', () => {
    expect(updateFeed({ packaged: true, resourcesPath: withYml, env: {} })).toEqual({ from: 'app-update.yml' });
  });

  it('no feed (a package built without `publish`, or a checkout) disables updates quietly', () => {
    expect(updateFeed({ packaged: true, resourcesPath: resources, env: {} })).toBeNull();
    expect(updateFeed({ packaged: false, resourcesPath: withYml, env: {} })).toBeNull();
  });

  it('ATLANTIC_UPDATE_URL points a packaged app at another https feed; anything but https is ignored', () => {
    const env = (url: string) => ({ ATLANTIC_UPDATE_URL: url });
    expect(updateFeed({ packaged: true, resourcesPath: resources, env: env('https://feed.example/x') })).toEqual({
      from: 'env',
      url: 'https://feed.example/x',
    });
    expect(updateFeed({ packaged: true, resourcesPath: withYml, env: env('http://feed.example/x') })).toBeNull();
    expect(updateFeed({ packaged: true, resourcesPath: withYml, env: env('not a url') })).toBeNull();
    expect(updateFeed({ packaged: false, resourcesPath: withYml, env: env('https://feed.example/x') })).toBeNull();
  });
});
