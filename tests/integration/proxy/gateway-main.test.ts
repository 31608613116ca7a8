import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../server/db/open.ts';
import type { Db } from '../../../server/db/types.ts';
import { endSession, startSession } from '../../../server/sessions/sessions.ts';
import { curl } from '../../support/curl.ts';
import { createScratchDatabase } from '../../support/engines.ts';
import { userWithBalance } from '../../support/fixtures.ts';
import { LOCAL_ORIGIN_CIDRS, startHttpOrigin, type Origin } from '../../support/origins.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;

function startGatewayProcess(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/gateway/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      GATEWAY_PORT: '0',
      LOG_LEVEL: 'info',
      ATLANTIC_EXITS_FILE: '',
      GATEWAY_ALLOW_CIDRS: LOCAL_ORIGIN_CIDRS,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: any[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => lines.push(JSON.parse(line)));
  return { child, lines };
}

describe('`npm run gateway`: a gateway process of its own beside the service [postgres]', () => {
  let scratch: { url: string; drop(): Promise<void> };
  let db: Db;
  let origin: Origin;

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    db = await openDatabase({ databaseUrl: scratch.url });
    origin = await startHttpOrigin();
  });
  afterAll(async () => {
    await origin?.close();
    await db?.close();
    await scratch?.drop();
  });

  it('admits sessions from the shared database, closes them when they end anywhere, exits 0 on SIGTERM', async () => {
    const { child, lines } = startGatewayProcess({ DATABASE_URL: scratch.url });
    try {
      await expect.poll(() => lines.find((l) => l.msg === 'gateway started'), { timeout: 30_000 }).toBeDefined();
      const port = lines.find((l) => l.msg === 'gateway started').port as number;

      const userId = await userWithBalance(db, '5');
      const hash = createHash('sha256').update('session-password').digest('hex');
      const session = await startSession(db, {
        userId,
        targeting: { country: 'us' },
        now: Date.now(),
        gatewayPasswordHash: hash,
      });
      const via = ['-x', `http://127.0.0.1:${port}`, '--proxy-user', `${session.id}:session-password`];
      expect(await curl([...via, `${origin.url}/hello`])).toMatchObject({
        code: 0,
        stdout: 'hello from the origin (plain)\n',
      });

      // Ended by another process (the service): the announcement reaches this gateway.
      const download = curl([...via, '-p', '-o', '/dev/null', `${origin.url}/stream`]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const endedAt = performance.now();
      await endSession(db, { sessionId: session.id, reason: 'admin', now: Date.now() });
      expect((await download).code).not.toBe(0);
      expect(performance.now() - endedAt).toBeLessThan(1000);
      const refused = await curl([...via, '-w', '\n%{http_code}', `${origin.url}/hello`]);
      expect(refused.stdout).toBe('The session has ended (admin).\n407');

      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
      expect(lines.some((l) => l.msg === 'shutting down')).toBe(true);
      // What it carried was written before it exited.
      const { rows } = await db.query<{ bytes_down: bigint }>('SELECT bytes_down FROM proxy_sessions WHERE id = $1', [
        session.id,
      ]);
      expect(Number(rows[0]!.bytes_down)).toBeGreaterThan(100_000);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('refuses to start without DATABASE_URL, saying why', async () => {
    const { child, lines } = startGatewayProcess({ DATABASE_URL: '' });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(lines[0]).toMatchObject({ level: 60, msg: expect.stringContaining('needs DATABASE_URL') });
  });
});
