// `npm start`: builds the renderer and the Electron bundles, makes sure
// Electron's binary is there (the first launch downloads it: the npm package
// ships only a downloader, and this repo installs with install scripts off),
// then runs the app in embedded mode. Extra arguments go to Electron.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { buildElectron, repoRoot } from './build-electron.ts';

const require = createRequire(import.meta.url);

function run(command: string, args: string[]): boolean {
  return (
    spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit', shell: process.platform === 'win32' }).status === 0
  );
}

/** The Electron executable; `null` until its binary is downloaded. */
function electronBinary(): string | null {
  try {
    return require('electron') as string;
  } catch {
    return null;
  }
}

function fail(message: string): never {
  console.error(`\nnpm start: ${message}`);
  process.exit(1);
}

if (!run('npm', ['run', 'build:renderer'])) fail('the renderer build (npm run build:renderer) failed.');
await buildElectron();

let electron = electronBinary();
if (!electron) {
  console.log("First launch: downloading Electron's binary (once, into node_modules/electron/dist)…");
  run(process.execPath, [join(repoRoot, 'node_modules/electron/install.js')]);
  electron = electronBinary();
}
if (!electron) {
  fail(
    "Electron's binary could not be downloaded (see the error above). It comes from GitHub releases, or from " +
      'ELECTRON_MIRROR if set; check the network or proxy settings and run `npm start` again. On a machine ' +
      'without a desktop or without the download, run the same client with `npm run headless` instead.',
  );
}

const child = spawn(electron, [repoRoot, ...process.argv.slice(2)], { cwd: repoRoot, stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
