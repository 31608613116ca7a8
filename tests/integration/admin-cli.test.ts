import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../server/accounts/users.ts';
import { openDatabase } from '../../server/db/open.ts';
import type { Db } from '../../server/db/types.ts';
import { verifyLedger } from '../../server/ledger/verify-ledger.ts';

// `npm run admin -- …` as an operator runs it: a child process on the embedded
// engine's data folder (ATLANTIC_DATA_DIR, no DATABASE_URL). PGlite is one
// process at a time, so the CLI runs one command after another and this file
// opens the folder only before and after.
const ROOT = new URL('../../', import.meta.url).pathname;
const EMAIL = 'operator-test@example.com';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('admin CLI (npm run admin) on a PGlite data folder', () => {
  let tmp: string;
  let dataDir: string;

  async function withDb<T>(work: (db: Db) => Promise<T>): Promise<T> {
    const db = await openDatabase({ dataDir });
    try {
      return await work(db);
    } finally {
      await db.close();
    }
  }

  function admin(...args: string[]): Promise<Run> {
    const { DATABASE_URL: _, ...env } = process.env;
    return new Promise((resolve) => {
      execFile(
        'npx',
        ['tsx', 'server/cli/admin.ts', ...args],
        { cwd: ROOT, env: { ...env, ATLANTIC_DATA_DIR: dataDir }, timeout: 45_000 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'atlantic-admin-cli-'));
    dataDir = join(tmp, 'billing');
    await withDb((db) => createUser(db, { email: EMAIL }));
  });
  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('grant EMAIL 5 --reason "welcome credit" adds 5 credits', async () => {
    const run = await admin('grant', EMAIL, '5', '--reason', 'welcome credit');
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/5\.00 credits → balance 5\.00/);
  });

  // node:util parseArgs reads a bare `-2.5` as the option `-2`; after `--` it is a positional.
  it('adjust EMAIL --reason correction -- -2.5 takes 2.5, leaving 2.5', async () => {
    const run = await admin('adjust', EMAIL, '--reason', 'correction', '--', '-2.5');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/-2\.50 credits → balance 2\.50/);
  });

  it('adjust EMAIL -- -100 fails with insufficient_credits, exit code 1, and changes nothing', async () => {
    const run = await admin('adjust', EMAIL, '--reason', 'too much', '--', '-100');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/insufficient_credits/);
    // That it changed nothing shows in `list` (still 2.50) and in the entries checked last (two, not three).
  });

  it('list prints the email and the balance', async () => {
    const run = await admin('list');
    expect(run.code).toBe(0);
    const line = run.stdout.split('\n').find((l) => l.includes(EMAIL));
    expect(line).toBeDefined();
    expect(line).toMatch(/\buser\s+2\.50\s+operator-test@example\.com$/);
  });

  it('promote EMAIL makes the account an admin', async () => {
    const run = await admin('promote', EMAIL);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${EMAIL} is now an admin`);
  });

  it('grant or adjust without --reason exits non-zero with the usage', async () => {
    const run = await admin('grant', EMAIL, '5');
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('--reason');
  });

  it('left two adjustment entries that say who and why, the role, and a clean ledger', async () => {
    await withDb(async (db) => {
      const { rows: entries } = await db.query<{ kind: string; amount: bigint; metadata: Record<string, unknown> }>(
        `SELECT e.kind, e.amount, e.metadata FROM ledger_entries e JOIN users u ON u.id = e.user_id
         WHERE u.email = $1 ORDER BY e.id`,
        [EMAIL],
      );
      expect(entries).toHaveLength(2);
      expect(entries.map((e) => [e.kind, e.amount])).toEqual([
        ['adjustment', 5_000_000n],
        ['adjustment', -2_500_000n],
      ]);
      expect(entries[0]!.metadata).toMatchObject({ by: expect.stringMatching(/^cli:/), reason: 'welcome credit' });
      expect(entries[1]!.metadata).toMatchObject({ by: expect.stringMatching(/^cli:/), reason: 'correction' });

      const { rows: users } = await db.query<{ role: string; balance: bigint }>(
        'SELECT u.role, w.balance FROM users u JOIN wallets w ON w.user_id = u.id WHERE u.email = $1',
        [EMAIL],
      );
      expect(users).toEqual([{ role: 'admin', balance: 2_500_000n }]);
      expect(await verifyLedger(db)).toEqual([]);
    });
  });

  // The usage line's own form: a bare negative amount must not be read as an option.
  it('adjust EMAIL -0.5 --reason … (the usage line form) is accepted', async () => {
    const run = await admin('adjust', EMAIL, '-0.5', '--reason', 'documented form');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('balance 2');
  });
});
