import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';
import type { IpcResult } from '../../../shared/ipc/bridge.ts';
import type { Recorded, StandInMessage, TestCommand } from './messages.ts';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const REGISTER = fileURLToPath(new URL('./register.ts', import.meta.url));

export interface BootedApp {
  /** Everything the app asked of Electron so far, in order. */
  records: Recorded[];
  calls(name: string): unknown[][];
  /** A call through the IPC contract from the window's own page. */
  invoke(channel: string, payload?: unknown): Promise<IpcResult>;
  waitFor<T>(check: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  /** Cmd+Q: resolves with the exit code once the process is gone. */
  quit(): Promise<number | null>;
  exited: Promise<number | null>;
  /** SIGKILL, for a test that failed half-way (the billing child then stops itself: its parent is gone). */
  kill(): void;
  output(): string;
}

/** Runs the built out/electron/main.js in Node with the stand-in `electron` module. */
export function bootApp(options: { userData: string; env: Record<string, string>; args?: string[] }): BootedApp {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', REGISTER, 'out/electron/main.js', ...(options.args ?? [])],
    {
      cwd: REPO,
      env: { ...process.env, ...options.env, STAND_IN_USER_DATA: options.userData },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const records: Recorded[] = [];
  const answers = new Map<number, (result: IpcResult) => void>();
  child.on('message', (message: StandInMessage) => {
    if (message.type === 'record') records.push(message);
    if (message.type === 'invoked') answers.get(message.id)?.(message.result as IpcResult);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let nextId = 0;
  const command = (message: TestCommand) => child.connected && child.send(message);
  return {
    records,
    calls: (name) => records.filter((r) => r.call === name).map((r) => r.args),
    invoke(channel, payload) {
      const id = ++nextId;
      return new Promise((resolve) => {
        answers.set(id, resolve);
        command({ type: 'invoke', id, channel, payload });
      });
    },
    waitFor: (check, timeoutMs = 60_000) =>
      vi.waitFor(
        () => {
          const value = check();
          if (value === undefined || value === false) throw new Error(`not yet; app output:\n${output}`);
          return value;
        },
        { timeout: timeoutMs, interval: 50 },
      ),
    quit() {
      command({ type: 'quit' });
      return exited;
    },
    exited,
    kill: () => void child.kill('SIGKILL'),
    output: () => output,
  };
}
