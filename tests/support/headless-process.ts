import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SETTINGS } from '../../electron/core/settings/default-settings.ts';
import { LOCAL_ORIGIN_CIDRS } from './origins.ts';
import { freePort } from './test-core.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const READY = /Open: (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+))/;

export interface HeadlessProcess {
  /** The printed address, token included. */
  url: string;
  origin: string;
  token: string;
  port: number;
  /** Settings, tokens and embedded billing's PGlite database. */
  dataDir: string;
  /** Everything the host wrote, stdout and stderr, for failure messages. */
  output(): string;
  /** SIGTERM, as a user's Ctrl-C; resolves with the exit code once the host (and its billing child) are gone. */
  stop(): Promise<number | null>;
}

/**
 * `npm run headless` as a user runs it, in its own process on a fresh data
 * folder with a free local proxy port: --port 0, the given renderer build, and
 * --test-clock only when asked.
 */
export async function startHeadlessProcess(options: {
  rendererDir: string;
  testClock?: boolean;
  env?: Record<string, string>;
}): Promise<HeadlessProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'atlantic-headless-'));
  const settings = { ...DEFAULT_SETTINGS, local_proxy_port: await freePort() };
  await writeFile(join(dataDir, 'settings.json'), JSON.stringify(settings));
  const args = ['--import', 'tsx', 'electron/headless/main.ts', '--port', '0', '--data-dir', dataDir];
  args.push('--renderer-dir', options.rendererDir, ...(options.testClock ? ['--test-clock'] : []));
  const child = spawn(process.execPath, args, {
    cwd: REPO,
    // Its embedded gateway reaches the tests' loopback origins.
    env: { ...process.env, LOG_LEVEL: 'warn', GATEWAY_ALLOW_CIDRS: LOCAL_ORIGIN_CIDRS, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`headless host did not start in 150 s:\n${output}`)), 150_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = READY.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`headless host exited (code ${code}) before it was ready:\n${output}`));
    });
  });
  let stopped: Promise<number | null> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const code = await exited;
      await rm(dataDir, { recursive: true, force: true });
      return code;
    })());
  let match: RegExpMatchArray;
  try {
    match = await ready;
  } catch (error) {
    await stop();
    throw error;
  }
  const port = Number(match[2]);
  return {
    url: match[1]!,
    origin: `http://127.0.0.1:${port}`,
    token: match[3]!,
    port,
    dataDir,
    output: () => output,
    stop,
  };
}
