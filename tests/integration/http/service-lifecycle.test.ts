import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../server/db/open.ts';
import { getSession } from '../../../server/sessions/sessions.ts';
import { MINUTE } from '../../support/fake-clock.ts';
import { startTestService } from '../../support/test-service.ts';

describe('billing service lifecycle', () => {
  it('finishes in-flight requests and charges served time with a final tick on close [postgres]', async () => {
    const service = await startTestService('postgres');
    const scratchUrl = service.config.databaseUrl!;
    const { body: auth } = await service.call('POST', '/api/auth/register', {
      body: { email: 'close@example.com', password: 'long enough password' },
    });
    const purchase = await service.call('POST', '/api/credits/purchase', { token: auth.token, body: { amount: 5 } });
    await service.call('POST', `${new URL(purchase.body.checkout_url).pathname}/pay`);
    const { body: connected } = await service.call('POST', '/api/proxy/connect', {
      token: auth.token,
      body: { country: 'gb', city: 'London' },
    });
    service.clock.advance(MINUTE);
    await service.call('POST', '/api/proxy/heartbeat', {
      token: auth.token,
      body: { session_id: connected.session.id },
    });

    // Hold the session's row so a heartbeat is provably in flight (waiting in the database) when we close.
    const holder = new pg.Client({ connectionString: scratchUrl });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM proxy_sessions WHERE id = $1 FOR UPDATE', [connected.session.id]);
    service.clock.advance(30_000);
    const inFlight = service.call('POST', '/api/proxy/heartbeat', {
      token: auth.token,
      body: { session_id: connected.session.id },
    });
    await expect
      .poll(
        async () =>
          (
            await holder.query(
              `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`,
            )
          ).rows[0].n,
      )
      .toBe(1);
    const closing = service.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await holder.query('COMMIT');
    await holder.end();
    expect((await inFlight).status).toBe(200);
    await closing;
    await expect(fetch(`${service.url}/api/health`)).rejects.toThrow();

    const db = await openDatabase({ databaseUrl: scratchUrl });
    try {
      // The final tick charged the 90 s served up to the in-flight heartbeat.
      expect((await getSession(db, { sessionId: connected.session.id })).chargedTotal).toBe(18_750n);
    } finally {
      await db.close();
      await service.stop();
    }
  });

  it('`npm run server` logs JSON, serves, and exits 0 on SIGTERM [pglite]', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'atlantic-server-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, DATABASE_URL: '', ATLANTIC_DATA_DIR: dataDir, PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const lines: any[] = [];
      let buffered = '';
      const ready = new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          buffered += chunk.toString();
          const parts = buffered.split('\n');
          buffered = parts.pop()!;
          for (const line of parts) {
            const entry = JSON.parse(line);
            lines.push(entry);
            if (entry.msg === 'local account ready') resolve(lines.find((l) => l.url)!.url);
          }
        });
        child.once('exit', (code) => reject(new Error(`server exited early with ${code}`)));
      });
      const url = await ready;
      const token = await readFile(join(dataDir, 'local-account.token'), 'utf8');
      const balance = await fetch(`${url}/api/credits/balance`, { headers: { authorization: `Bearer ${token}` } });
      expect(balance.status).toBe(200);
      expect(await balance.json()).toMatchObject({ balance: 0 });

      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
      expect(lines.some((l) => l.msg === 'shutting down')).toBe(true);
    } finally {
      child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
