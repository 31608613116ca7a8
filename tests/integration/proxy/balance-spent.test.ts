import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.ts';
import { credit } from '../../../server/ledger/ledger.ts';
import { getSession } from '../../../server/sessions/sessions.ts';
import { startService, type Service } from '../../../server/service.ts';
import { callJson, connect, keepHeartbeating } from '../../support/billed-client.ts';
import { curl } from '../../support/curl.ts';
import { createScratchDatabase, ENGINES } from '../../support/engines.ts';
import { balanceOf } from '../../support/fixtures.ts';
import { startHttpOrigin, type Origin } from '../../support/origins.ts';

// 0.003 credits at 0.50/h last 3,000 × 3,600,000 / 500,000 ms = 21.6 s.
const LASTS_MS = 21_600;

for (const engine of ENGINES) {
  describe(`a session ends on the second its balance is spent [${engine}]`, () => {
    let service: Service;
    let origin: Origin;
    let drop: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      const scratch = engine === 'postgres' ? await createScratchDatabase() : undefined;
      drop = scratch?.drop;
      // Real time and the real worker: the minute tick is far off, so only the exhaustion watch can end it.
      const config = {
        ...loadConfig({
          PORT: '0',
          GATEWAY_PORT: '0',
          LOG_LEVEL: 'silent',
          MIN_START_MINUTES: '0',
          HEARTBEAT_GAP_MS: '1000',
          GATEWAY_ALLOW_CIDRS: '127.0.0.0/8',
        }),
        databaseUrl: scratch?.url,
        dataDir: undefined,
        embedded: false,
      };
      service = await startService(config);
      origin = await startHttpOrigin();
    });
    afterAll(async () => {
      await origin?.close();
      await service?.close();
      await drop?.();
    });

    it(
      '0.003 credits at 0.50/h: ended within 1 s of 21.6 s, balance exactly 0, the download cut then',
      {
        timeout: 60_000,
      },
      async () => {
        const registered = await callJson(service.url, 'POST', '/api/auth/register', undefined, {
          email: `spent-${engine}@example.com`,
          password: 'correct horse battery',
        });
        const token = registered!.body.token as string;
        const userId = registered!.body.user.id as string;
        await credit(service.db, { userId, kind: 'adjustment', amount: 3_000n, idempotencyKey: 'funds' });

        const { session, gateway } = await connect(service.url, token);
        const stop = keepHeartbeating(() => service.url, token, session.id, 400);
        try {
          const proxy = [
            '-x',
            `http://127.0.0.1:${gateway.port}`,
            '--proxy-user',
            `${gateway.username}:${gateway.password}`,
          ];
          const download = await curl([...proxy, '-o', '/dev/null', `${origin.url}/stream`], 40_000);
          const cutAt = Date.now();
          const startedAt = Date.parse(session.started_at);

          expect(download.code).not.toBe(0); // cut mid-transfer
          const ended = await getSession(service.db, { sessionId: session.id });
          expect(ended).toMatchObject({ status: 'ended', endReason: 'insufficient_credits', chargedTotal: 3_000n });
          const servedMs = ended.endedAt!.getTime() - startedAt;
          expect(servedMs).toBeGreaterThanOrEqual(LASTS_MS);
          expect(servedMs).toBeLessThan(LASTS_MS + 1_000);
          expect(cutAt - startedAt).toBeLessThan(LASTS_MS + 1_000);
          expect(await balanceOf(service.db, userId)).toBe(0n);
        } finally {
          stop();
        }
      },
    );
  });
}
