import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { credits } from '../../../shared/money.ts';
import { openDatabase } from '../../../server/db/open.ts';
import type { Db } from '../../../server/db/types.ts';
import { verifyLedger } from '../../../server/ledger/verify-ledger.ts';
import { endSession, startSession } from '../../../server/sessions/sessions.ts';
import { createScratchDatabase } from '../../support/engines.ts';
import { userWithBalance } from '../../support/fixtures.ts';
import { serviceEnv, startChild } from '../../support/service-child.ts';

const SESSIONS = 40;
const KILLS = 8;
const HOUR = 3_600_000;

// Sessions that reach their first hour while the service is killed and restarted, over and
// over: some run out of credits near it, some are disconnected between runs.
async function seed(db: Db, now: number): Promise<void> {
  for (let i = 0; i < SESSIONS; i++) {
    // 0.50/h sessions started so that each crosses its hour somewhere in the next ~30 s;
    // every fourth user holds barely more than that hour, so theirs ends near it.
    const balance = i % 4 === 0 ? credits('0.5') + BigInt(i) * 100n : credits('5');
    const userId = await userWithBalance(db, balance);
    await startSession(db, { userId, targeting: { country: 'us' }, now: now - HOUR + 1_000 + i * 750 });
  }
}

// The clients are there: every live session heartbeats now (the service bills to the last heartbeat).
async function heartbeatAll(db: Db): Promise<void> {
  await db.query(`UPDATE proxy_sessions SET last_heartbeat_at = $1 WHERE status = 'active'`, [
    new Date().toISOString(),
  ]);
}

interface Books {
  violations: Awaited<ReturnType<typeof verifyLedger>>;
  unposted: number;
}

async function audit(db: Db): Promise<Books> {
  const { rows } = await db.query<{ unposted: number }>(
    `SELECT count(*)::int AS unposted FROM proxy_sessions WHERE charged_total > posted_total`,
  );
  return { violations: await verifyLedger(db), unposted: rows[0]!.unposted };
}

for (const engine of ['pglite', 'postgres'] as const) {
  describe(`the books after a crash between a debit and its posting [${engine}]`, () => {
    it(
      `SIGKILL of the service at random moments, ${KILLS} times: verifyLedger clean every time`,
      { timeout: 240_000 },
      async () => {
        const dataDir = await mkdtemp(join(tmpdir(), 'atlantic-crash-'));
        const scratch = engine === 'postgres' ? await createScratchDatabase() : undefined;
        // PGlite's folder is one process's at a time: the test opens it only while the service is down.
        const open = () => openDatabase({ databaseUrl: scratch?.url, dataDir });
        const env = {
          ...(await serviceEnv(scratch?.url, dataDir)),
          METERING_TICK_MS: '40',
        };
        const kills: number[] = [];
        let sawUnposted = 0;
        try {
          let db = await open();
          await seed(db, Date.now());
          for (let run = 0; run < KILLS; run++) {
            await heartbeatAll(db);
            await db.close();
            const service = startChild('server/main.ts', env);
            await service.line((l) => l.msg === 'metering tick', 90_000);
            const after = Math.floor(Math.random() * 1_500);
            kills.push(after);
            await new Promise((resolve) => setTimeout(resolve, after));
            await service.kill();

            db = await open();
            const books = await audit(db);
            expect(books.violations, `after kill ${run + 1} (${kills.join(', ')} ms after a tick)`).toEqual([]);
            if (books.unposted > 0) sawUnposted += 1;
            // A client leaves between runs: its session's last line is posted at once.
            const { rows } = await db.query<{ id: string }>(
              `SELECT id FROM proxy_sessions WHERE status = 'active' ORDER BY id LIMIT 1`,
            );
            if (rows[0] && run % 2 === 1) {
              await endSession(db, { sessionId: rows[0].id, reason: 'disconnected', now: Date.now() });
            }
          }
          const { rows } = await db.query<{ hourly: number; ends: number; short: number }>(
            `SELECT count(*) FILTER (WHERE idempotency_key LIKE '%:1')::int AS hourly,
                  count(*) FILTER (WHERE idempotency_key LIKE '%:end')::int AS ends,
                  (SELECT count(*)::int FROM proxy_sessions WHERE end_reason = 'insufficient_credits') AS short
           FROM ledger_entries WHERE kind = 'usage'`,
          );
          // The runs did cross hours and end sessions, and were killed with usage debited but not yet posted.
          expect(rows[0]!.hourly).toBeGreaterThan(0);
          expect(rows[0]!.ends).toBeGreaterThan(0);
          expect(rows[0]!.short).toBeGreaterThan(0);
          expect(sawUnposted).toBeGreaterThan(0);
          expect(await verifyLedger(db)).toEqual([]);
          await db.close();
        } finally {
          await scratch?.drop();
          await rm(dataDir, { recursive: true, force: true });
        }
      },
    );
  });
}
