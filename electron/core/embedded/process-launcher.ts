import { fork } from 'node:child_process';

/** A started child process as EmbeddedBilling needs it: Electron's UtilityProcess has this shape, and so does a wrapped fork. */
export interface ChildLike {
  /** The OS process id, once it runs. */
  readonly pid?: number | undefined;
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number | null) => void): unknown;
  /** Ends the process at once: the last resort when it does not stop when asked. */
  kill(): unknown;
}

export interface LaunchOptions {
  /** Added to the parent's environment. */
  env: Record<string, string>;
  /** Node flags, e.g. the TypeScript loader for a .ts entry. */
  execArgv: string[];
}

/** Starts the embedded billing process: child_process.fork here, utilityProcess.fork in the Electron shell. */
export interface ProcessLauncher {
  launch(entryPath: string, options: LaunchOptions): ChildLike;
}

/** child_process.fork, for the headless host and tests. The child's output goes to ours. */
export const nodeProcessLauncher: ProcessLauncher = {
  launch(entryPath, options) {
    const child = fork(entryPath, [], {
      env: { ...process.env, ...options.env },
      execArgv: options.execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return {
      pid: child.pid,
      postMessage: (message) => {
        // A child that has already gone cannot be told anything; its exit event says so.
        if (child.connected) child.send(message as object);
      },
      on: (event: 'message' | 'exit', listener: (value: never) => void) =>
        event === 'message'
          ? child.on('message', listener as (message: unknown) => void)
          : child.on('exit', listener as (code: number | null) => void),
      kill: () => child.kill('SIGKILL'),
    };
  },
};
