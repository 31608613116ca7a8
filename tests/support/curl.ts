import { execFile } from 'node:child_process';

export interface CurlResult {
  /** curl's exit code (0 also for HTTP error statuses unless --fail). */
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the real curl binary; never throws for a failed transfer, so tests can assert on it. */
export function curl(args: readonly string[], timeoutMs = 20_000): Promise<CurlResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(
      'curl',
      ['--silent', '--show-error', '--noproxy', '', ...args],
      { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') return reject(error);
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr, ms: performance.now() - started });
      },
    );
  });
}
