import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const CONFIG = fileURLToPath(new URL('../../vite.config.ts', import.meta.url));

/**
 * Builds the renderer with the repo's vite config (what `npm run build:renderer`
 * does) into a fresh temp folder, so test files running side by side never
 * overwrite each other's build or out/renderer. Resolves with the folder.
 */
export async function buildRenderer(): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'atlantic-renderer-'));
  await build({ configFile: CONFIG, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  return outDir;
}
