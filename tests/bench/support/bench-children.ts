import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';

// Child processes of the proxy bench (origin, gateway, local proxy, bare relays),
// each a Node process of its own so none shares an event loop with the load.
const ROOT = new URL('../../../', import.meta.url).pathname;
// Held tunnels take two sockets each in the gateway and in the local proxy, so
// children may open as many descriptors as the hard limit allows (the soft
// limit is often far lower). Raising the hard limit needs CAP_SYS_RESOURCE,
// which a container may lack: `openFilesLimit` says what a child gets.
const RAISE_SOFT_LIMIT = 'ulimit -n "$(ulimit -Hn)" && exec "$0" "$@"';

/** How many descriptors a child process may hold (its hard limit). */
export function openFilesLimit(): number {
  const limit = execFileSync('bash', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).trim();
  return limit === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(limit);
}

export interface Child {
  process: ChildProcess;
  pid: number;
  /** The first JSON line it printed that `ready` accepted. */
  ready: Record<string, unknown>;
}

const started: ChildProcess[] = [];
process.once('exit', () => started.forEach((c) => c.kill('SIGKILL')));

/** Kills this child when the bench exits, however it exits (but SIGKILL). */
export function killOnExit(child: ChildProcess): void {
  started.push(child);
}

/**
 * Starts a TypeScript entry in its own Node process, with room for many
 * descriptors, and waits for the JSON line that says it is ready. `nodeArgs`
 * go to Node (e.g. `--cpu-prof`).
 */
export async function startChild(
  entry: string,
  env: Record<string, string>,
  ready: (line: Record<string, unknown>) => boolean,
  nodeArgs: string[] = [],
): Promise<Child> {
  const child = spawn('bash', ['-c', RAISE_SOFT_LIMIT, process.execPath, ...nodeArgs, '--import', 'tsx', entry], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    // stdin is a lifeline: the helpers stop when this process goes away, however it goes.
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  killOnExit(child);
  const lines = createInterface({ input: child.stdout! });
  const line = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not start within 30 s`)), 30_000);
    child.once('exit', (code) => reject(new Error(`${entry} exited (${code}) before it was ready`)));
    lines.on('line', (text) => {
      try {
        const parsed = JSON.parse(text) as Record<string, unknown>;
        if (ready(parsed)) {
          clearTimeout(timer);
          resolve(parsed);
        }
      } catch {
        // not a JSON line
      }
    });
  });
  return { process: child, pid: child.pid!, ready: line };
}

export async function stopChild({ process: child }: Child): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.stdin?.end();
  child.kill('SIGTERM');
  await exited;
}

/** A process's resident memory now, in kB. */
export async function rssKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]);
}
