import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { costOver } from '../../../shared/money.ts';
import {
  buyWithSandbox,
  callJson,
  connect,
  expectChargedForServed,
  keepHeartbeating,
  sleep,
} from '../../support/billed-client.ts';
import { createScratchDatabase } from '../../support/engines.ts';
import { serviceEnv, startChild } from '../../support/service-child.ts';

const OUTAGE_MS = 70_000;
const HEARTBEAT_MS = 500;
const COUNTRY_RATE = 500_000n;

// The service killed outright for 70 s, shorter than the heartbeat timeout, while the
// client keeps heartbeating; restarted on the same ports and data. The session goes on,
// and is charged only for the seconds the service was up to serve it.
for (const engine of ['pglite', 'postgres'] as const) {
  describe(`an outage of the service is not billed [${engine}]`, () => {
    it('charges a session only for the seconds served around a 70 s SIGKILL outage', { timeout: 180_000 }, async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'atlantic-outage-'));
      const scratch = engine === 'postgres' ? await createScratchDatabase() : undefined;
      const env = {
        ...(await serviceEnv(scratch?.url, dataDir)),
        HEARTBEAT_GAP_MS: String(2 * HEARTBEAT_MS),
      };
      const start = async () => {
        const service = startChild('server/main.ts', env);
        const { url } = await service.line((l) => l.msg === 'billing service started');
        await service.line((l) => l.msg === 'local account ready');
        return { service, url: url as string, upAt: Date.now() };
      };
      let { service, url } = await start();
      let stopHeartbeats = () => undefined as void;
      try {
        const token = (await readFile(join(dataDir, 'local-account.token'), 'utf8')).trim();
        await buyWithSandbox(url, token);
        const { session } = await connect(url, token);
        stopHeartbeats = keepHeartbeating(() => url, token, session.id, HEARTBEAT_MS);

        await sleep(5_000);
        const downAt = Date.now();
        await service.kill();
        await sleep(OUTAGE_MS);
        const restarted = await start();
        ({ service, url } = restarted);
        await sleep(5_000);
        const ended = await callJson(url, 'POST', '/api/proxy/disconnect', token, { session_id: session.id });
        stopHeartbeats();
        expect(ended?.status).toBe(200);

        const charged = expectChargedForServed(ended!.body.session, { downAt, upAt: restarted.upAt }, COUNTRY_RATE);
        // The 70 s outage alone would have cost about 9,700 µcr.
        expect(charged).toBeLessThan(costOver(COUNTRY_RATE, 15_000n));
      } finally {
        stopHeartbeats();
        await service.stop();
        await scratch?.drop();
        await rm(dataDir, { recursive: true, force: true });
      }
    });
  });
}
