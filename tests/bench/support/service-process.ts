import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const SERVER_ENTRY = new URL('./api-server.ts', import.meta.url).pathname;
const STARTUP_TIMEOUT_MS = 30_000;

export interface ServiceProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * The billing service (tests/bench/support/api-server.ts) in a child process on
 * `databaseUrl`, so a load generator never shares its event loop. `env` adds to
 * or overrides the service's environment (payment keys, log level).
 */
export async function startServiceProcess(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER_ENTRY], {
    // Any free ports: the API's and, where the service runs a proxy gateway in-process, the gateway's.
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: '0',
      GATEWAY_PORT: '0',
      LOG_LEVEL: 'warn',
      ...env,
      DATABASE_URL: databaseUrl,
    },
    // stdin is a lifeline: the server stops when this process goes away, however it goes.
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  // Its stdout carries its JSON logs too: the URL is the line with `api_server_url`; every
  // other line goes to our stderr, so the pipe never fills up.
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the service did not start within 30 s')), STARTUP_TIMEOUT_MS);
    timer.unref();
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`the service exited (${signal ?? code}) before listening`)));
    lines.on('line', (line) => {
      const announced = /^\{"api_server_url":"([^"]+)"/.exec(line)?.[1];
      if (!announced) return console.error(`[server] ${line}`);
      clearTimeout(timer);
      resolve(announced);
    });
  });

  return {
    url,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timeout = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timeout);
      }
      process.off('exit', killOnExit);
    },
  };
}
