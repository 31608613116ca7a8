import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { freePort } from './test-core.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

export interface ChildProcessUnderTest {
  child: ChildProcess;
  /** Parsed JSON log lines so far. */
  lines: any[];
  /** Resolves with the first log line that matches. */
  line(matches: (entry: any) => boolean, timeoutMs?: number): Promise<any>;
  /** SIGKILL, and waits until it is gone. */
  kill(): Promise<void>;
  /** SIGTERM (graceful), and waits until it is gone. */
  stop(): Promise<void>;
}

/**
 * `npm run server` or `npm run gateway` (their entry file) as a child process of
 * its own, so a test can kill it outright; its JSON log lines are collected.
 */
export function startChild(entry: 'server/main.ts' | 'server/gateway/main.ts', env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ATLANTIC_EXITS_FILE: '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines: any[] = [];
  const waiting = new Set<() => void>();
  createInterface({ input: child.stdout! }).on('line', (text) => {
    try {
      lines.push(JSON.parse(text));
    } catch {
      lines.push({ msg: text });
    }
    for (const wake of waiting) wake();
  });

  const gone = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
    process.off('exit', killOnExit);
  };
  const handle: ChildProcessUnderTest = {
    child,
    lines,
    line: (matches, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.find(matches);
          if (!found) return;
          cleanup();
          resolve(found);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`${entry}: no matching log line within ${timeoutMs} ms`));
        }, timeoutMs);
        const died = () => {
          cleanup();
          reject(new Error(`${entry} exited (${child.signalCode ?? child.exitCode})`));
        };
        const cleanup = () => {
          clearTimeout(timer);
          waiting.delete(check);
          child.off('exit', died);
        };
        waiting.add(check);
        child.once('exit', died);
        check();
      }),
    kill: () => gone('SIGKILL'),
    stop: () => gone('SIGTERM'),
  };
  return handle;
}

/** The environment of an embedded service child on PostgreSQL (`databaseUrl`) or PGlite in `dataDir`, on free ports. */
export async function serviceEnv(databaseUrl: string | undefined, dataDir: string): Promise<Record<string, string>> {
  return {
    DATABASE_URL: databaseUrl ?? '',
    ATLANTIC_EMBEDDED: '1',
    ATLANTIC_DATA_DIR: dataDir,
    PORT: String(await freePort()),
    GATEWAY_PORT: String(await freePort()),
  };
}
