// Packaging is configured and checked here, not run: electron-builder would
// download Electron and platform tools, which the build machines cannot.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
const config = JSON.parse(readFileSync(join(root, 'electron-builder.json'), 'utf8'));
const scheme = JSON.parse(readFileSync(join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8'));

const targets = (platform: { target: { target: string; arch: string[] }[] }) =>
  Object.fromEntries(platform.target.map(({ target, arch }) => [target, arch]));

/** Width, height and whether every pixel row decodes, read straight from the PNG. */
function pngInfo(path: string): { width: number; height: number; rgba: boolean; decodes: boolean } {
  const png = readFileSync(path);
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    if (png.toString('latin1', at + 4, at + 8) === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    at += length + 12;
  }
  const pixels = inflateSync(Buffer.concat(idat));
  return { width, height, rgba: png[25] === 6, decodes: pixels.length === height * (1 + width * 4) };
}

describe('electron-builder configuration', () => {
  it('names the app and packs only the built output', () => {
    expect(config.appId).toBe('com.atlanticproxy.desktop');
    expect(config.productName).toBe('Atlantic Proxy');
    expect(config.directories.buildResources).toBe('build');
    expect(config.files).toEqual(expect.arrayContaining(['out/electron/**', 'out/renderer/**']));
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.main).toBe('out/electron/main.js');
    expect(pkg.scripts.dist).toContain('electron-builder --config electron-builder.json');
  });

  it('uses only options electron-builder knows', () => {
    expect(Object.keys(config).filter((key) => !(key in scheme.properties))).toEqual([]);
    const sections = {
      mac: 'MacConfiguration',
      win: 'WindowsConfiguration',
      linux: 'LinuxConfiguration',
      nsis: 'NsisOptions',
      dmg: 'DmgOptions',
    };
    for (const [section, definition] of Object.entries(sections)) {
      const known = scheme.definitions[definition].properties;
      expect(
        Object.keys(config[section]).filter((key) => !(key in known)),
        section,
      ).toEqual([]);
    }
  });

  it('publishes to a generic HTTPS update feed, which the packaged app reads back as app-update.yml', () => {
    expect(config.publish).toEqual([
      { provider: 'generic', url: expect.stringMatching(/^https:\/\/[^/]+\/\S+$/), channel: 'latest' },
    ]);
    const generic = scheme.definitions.GenericServerOptions.properties;
    expect(Object.keys(config.publish[0]).filter((key) => !(key in generic))).toEqual([]);
  });

  it('builds Windows NSIS, macOS dmg for arm64 and x64, Linux AppImage and deb', () => {
    expect(targets(config.win)).toEqual({ nsis: ['x64'] });
    expect(targets(config.mac)).toEqual({ dmg: ['arm64', 'x64'] });
    expect(targets(config.linux)).toEqual({ AppImage: ['x64'], deb: ['x64'] });
  });

  it('signs macOS with the hardened runtime and the committed entitlements', () => {
    expect(config.mac.hardenedRuntime).toBe(true);
    const plist = readFileSync(join(root, config.mac.entitlements), 'utf8');
    expect(plist).toContain('com.apple.security.cs.allow-jit');
    expect(plist).toContain('com.apple.security.network.server');
    expect(plist).not.toContain('com.apple.security.cs.disable-library-validation');
  });

  it('has real icons: the app icon at 512 and 256, and the linux icon set', () => {
    for (const icon of [config.icon, config.mac.icon, config.win.icon]) {
      expect(pngInfo(join(root, icon))).toEqual({ width: 512, height: 512, rgba: true, decodes: true });
    }
    expect(pngInfo(join(root, config.linux.icon, '256x256.png'))).toMatchObject({ width: 256, decodes: true });
    expect(pngInfo(join(root, config.linux.icon, '512x512.png'))).toMatchObject({ width: 512, decodes: true });
  });

  it('ships a tray icon for every state at 16 px and @2x, as packaged resources', () => {
    for (const state of ['disconnected', 'connecting', 'connected']) {
      expect(pngInfo(join(root, `build/icons/tray-${state}.png`))).toMatchObject({
        width: 16,
        height: 16,
        decodes: true,
      });
      expect(pngInfo(join(root, `build/icons/tray-${state}@2x.png`))).toMatchObject({
        width: 32,
        height: 32,
        decodes: true,
      });
    }
    expect(config.extraResources).toEqual([
      expect.objectContaining({ from: 'build/icons', to: 'icons', filter: expect.arrayContaining(['tray-*.png']) }),
    ]);
    expect(existsSync(join(root, 'scripts/make-icons.ts'))).toBe(true);
  });
});
