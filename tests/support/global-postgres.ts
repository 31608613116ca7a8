import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

const SCRIPT = new URL('../../.ci/postgres.sh', import.meta.url).pathname;
let dataDir: string | undefined;

/**
 * The PostgreSQL suites need a real server. Use DATABASE_URL when set (CI sets
 * it); otherwise start a throwaway cluster the same way `.ci/run` does.
 * There is no skipping: without either, the suites fail and say why.
 */
export function setup(project: TestProject): void {
  let url = process.env.DATABASE_URL ?? '';
  if (!url && existsSync('/usr/lib/postgresql/15/bin/initdb')) {
    const out = execFileSync(
      'bash',
      ['-c', `source ${SCRIPT} && pg_throwaway_start >&2 && echo "$PG_DIR $DATABASE_URL"`],
      {
        encoding: 'utf8',
      },
    ).trim();
    [dataDir, url] = out.split(' ') as [string, string];
  }
  project.provide('databaseUrl', url);
}

export function teardown(): void {
  if (dataDir) execFileSync('bash', ['-c', `source ${SCRIPT} && PG_DIR=${dataDir} pg_throwaway_stop`]);
}
