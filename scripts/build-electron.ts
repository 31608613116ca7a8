// Bundles the Electron side into out/electron/ with esbuild:
//   main.js              the main process (ESM; npm packages stay external, loaded from node_modules)
//   preload.cjs          the sandboxed preload: ONE CommonJS file, everything inlined but `electron`,
//                        because a sandboxed preload cannot load modules of its own
//   service-process.mjs  the embedded billing service's child entry, run in a utility process
//   migrations/          the billing schema's SQL files, which the bundled migrate step reads beside itself
// `tsx scripts/build-electron.ts` (npm run build:electron); npm start and npm run dist call it.
import { cpSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Metafile } from 'esbuild';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Electron 41 runs Node 24 and Chromium 146; the bundles need nothing older. */
const common: BuildOptions = { bundle: true, sourcemap: 'linked', logLevel: 'warning', legalComments: 'none' };

export function electronBundles(outDir: string): Record<'main' | 'preload' | 'service', BuildOptions> {
  return {
    main: {
      ...common,
      entryPoints: [join(repoRoot, 'electron/main.ts')],
      outfile: join(outDir, 'main.js'),
      platform: 'node',
      target: 'node22',
      format: 'esm',
      packages: 'external',
    },
    preload: {
      ...common,
      entryPoints: [join(repoRoot, 'electron/preload.ts')],
      outfile: join(outDir, 'preload.cjs'),
      platform: 'browser',
      target: 'chrome130',
      format: 'cjs',
      // zod and the contract come to most of the file; the preload is parsed on every window load.
      minify: true,
      external: ['electron'],
    },
    service: {
      ...common,
      entryPoints: [join(repoRoot, 'electron/embedded/service-process.ts')],
      outfile: join(outDir, 'service-process.mjs'),
      platform: 'node',
      target: 'node22',
      format: 'esm',
      packages: 'external',
    },
  };
}

/** What a bundle still loads at run time (everything esbuild left external). */
export function externalImports(metafile: Metafile): string[] {
  return [
    ...new Set(
      Object.values(metafile.outputs).flatMap((output) => output.imports.filter((i) => i.external).map((i) => i.path)),
    ),
  ].sort();
}

export async function buildElectron(outDir = join(repoRoot, 'out/electron')): Promise<Record<string, string[]>> {
  const externals: Record<string, string[]> = {};
  for (const [name, options] of Object.entries(electronBundles(outDir))) {
    const result = await build({ ...options, metafile: true });
    externals[name] = externalImports(result.metafile);
  }
  // server/db/migrate.ts finds its SQL at ./migrations/ next to its own module, which in the bundle is this folder.
  cpSync(join(repoRoot, 'server/db/migrations'), join(outDir, 'migrations'), { recursive: true });
  // The sandbox would refuse any other require at run time; fail the build instead.
  const strayed = externals.preload!.filter((path) => path !== 'electron');
  if (strayed.length > 0)
    throw new Error(`the sandboxed preload must be self-contained, but loads ${strayed.join(', ')}`);
  return externals;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outDir = join(repoRoot, 'out/electron');
  await buildElectron(outDir);
  for (const file of ['main.js', 'preload.cjs', 'service-process.mjs', 'migrations/001_initial.sql']) {
    if (!existsSync(join(outDir, file))) throw new Error(`missing ${file}`);
  }
  console.log(`electron bundles written to ${outDir}`);
}
