import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { electronBundles, externalImports } from '../../../scripts/build-electron.ts';
import { appPaths } from '../../../electron/app-paths.ts';

describe('electron bundles', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'electron-out-'));
  const bundles = electronBundles(outDir);

  it('make the sandboxed preload one CommonJS file that loads nothing but electron', async () => {
    const result = await build({ ...bundles.preload, metafile: true, sourcemap: false });
    expect(externalImports(result.metafile)).toEqual(['electron']);
    const code = readFileSync(join(outDir, 'preload.cjs'), 'utf8');
    expect([...code.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1])).toEqual(['electron']);
    expect(code).toContain('exposeInMainWorld("atlantic"');
  });

  it('leave npm packages to node_modules in the main bundle, and where the app looks for them', async () => {
    const result = await build({ ...bundles.main, metafile: true, sourcemap: false });
    const externals = externalImports(result.metafile);
    expect(externals).toEqual(expect.arrayContaining(['electron', 'electron-store']));
    expect(externals.filter((path) => path.startsWith('.'))).toEqual([]);
    const paths = appPaths(outDir, null);
    expect(paths.preload).toBe(join(outDir, 'preload.cjs'));
    expect(paths.serviceEntry).toBe(join(outDir, 'service-process.mjs'));
    expect(appPaths(outDir, { resourcesPath: '/opt/Atlantic Proxy/resources' }).icons).toBe(
      '/opt/Atlantic Proxy/resources/icons',
    );
  });
});
