import { costOver } from '../../../shared/money.ts';
import type { Engine } from '../../../server/db/types.ts';
import { credit } from '../../../server/ledger/ledger.ts';
import { verifyLedger } from '../../../server/ledger/verify-ledger.ts';
import { startTestService } from '../test-service.ts';
import { seededRandom } from './seeded-random.ts';

export interface SoakResult {
  sessions: number;
  minutes: number;
  /** Sessions started over the run, reconnects included. */
  started: number;
  exact: boolean;
  ledgerViolations: number;
  rssStartMb: number;
  rssEndMb: number;
  rssGrowthMb: number;
  /** µcr charged over all sessions. */
  charged: bigint;
}

const MINUTE = 60_000;
const SESSIONS_PER_USER = 5;
const BEAT_EVERY_MS = 30_000;
const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

/**
 * `sessions` live sessions metered for `minutes` simulated minutes on the real
 * service and its gateway (in this process, on a fake clock): heartbeats every
 * 30 s, a tick every minute, and each minute some users disconnect and connect
 * again. At the end every session's charge must be exactly its served time, and
 * the process's RSS is read at the start and the end.
 */
export async function soakRun(
  engine: Engine,
  sessions: number,
  minutes: number,
  seed = 1,
  serverUrl?: string,
): Promise<SoakResult> {
  const random = seededRandom(seed);
  const service = await startTestService(
    engine,
    { CONNECT_RATE_LIMIT: '1000000', LOGIN_RATE_LIMIT: '1000000' },
    serverUrl,
  );
  try {
    const live: { id: string; token: string }[] = [];
    const tokens: string[] = [];
    for (let u = 0; u < Math.ceil(sessions / SESSIONS_PER_USER); u++) {
      const reg = await service.call('POST', '/api/auth/register', {
        body: { email: `soak-${u}@example.com`, password: 'correct horse battery' },
      });
      await credit(service.db, {
        userId: reg.body.user.id,
        kind: 'adjustment',
        amount: 100_000_000n,
        idempotencyKey: `s${u}`,
      });
      tokens.push(reg.body.token);
    }
    let started = 0;
    const connect = async (token: string) => {
      const { body } = await service.call('POST', '/api/proxy/connect', { token, body: { country: 'US' } });
      started += 1;
      return { id: body.session.id as string, token };
    };
    const inBatches = async <T>(items: T[], work: (item: T) => Promise<unknown>) => {
      for (let i = 0; i < items.length; i += 100) await Promise.all(items.slice(i, i + 100).map(work));
    };
    await inBatches(
      Array.from({ length: sessions }, (_, i) => tokens[Math.floor(i / SESSIONS_PER_USER)]!),
      async (token) => live.push(await connect(token)),
    );
    global.gc?.();
    const rssStart = process.memoryUsage().rss;

    for (let minute = 1; minute <= minutes; minute++) {
      for (let beat = 0; beat < MINUTE / BEAT_EVERY_MS; beat++) {
        service.clock.advance(BEAT_EVERY_MS);
        await inBatches(live, (s) =>
          service.call('POST', '/api/proxy/heartbeat', { token: s.token, body: { session_id: s.id } }),
        );
      }
      await service.worker.tick();
      // A few leave and come back: a new session each.
      for (let i = 0; i < live.length; i++) {
        if (random() >= 0.03) continue;
        const s = live[i]!;
        await service.call('POST', '/api/proxy/disconnect', { token: s.token, body: { session_id: s.id } });
        live[i] = await connect(s.token);
      }
    }
    await inBatches(live, (s) =>
      service.call('POST', '/api/proxy/disconnect', { token: s.token, body: { session_id: s.id } }),
    );
    global.gc?.();
    const rssEnd = process.memoryUsage().rss;

    const violations = await verifyLedger(service.db);
    const { rows } = await service.db.query<{ status: string; charged_total: bigint; rate: bigint; served: string }>(
      `SELECT status, charged_total, rate,
              (floor(extract(epoch FROM charged_until - started_at) * 1000)::bigint - unserved_ms)::text AS served
       FROM proxy_sessions`,
    );
    const exact =
      violations.length === 0 &&
      rows.length === started &&
      rows.every((r) => r.status === 'ended' && r.charged_total === costOver(r.rate, BigInt(r.served)));
    return {
      sessions,
      minutes,
      started,
      exact,
      ledgerViolations: violations.length,
      rssStartMb: mb(rssStart),
      rssEndMb: mb(rssEnd),
      rssGrowthMb: mb(rssEnd - rssStart),
      charged: rows.reduce((sum, r) => sum + r.charged_total, 0n),
    };
  } finally {
    await service.stop();
  }
}
