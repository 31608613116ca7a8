import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buyWithSandbox,
  callJson,
  connect,
  expectChargedForServed,
  keepHeartbeating,
  sleep,
} from '../../support/billed-client.ts';
import { createScratchDatabase } from '../../support/engines.ts';
import { startChild } from '../../support/service-child.ts';
import { freePort } from '../../support/test-core.ts';

const OUTAGE_MS = 70_000;
const HEARTBEAT_MS = 500;
const SWEEP_MS = 250;
const COUNTRY_RATE = 500_000n;

// The service stays up and the client keeps heartbeating, but the gateway that carries
// the session is killed for 70 s and restarted: those seconds were not served.
describe('an outage of the gateway is not billed [postgres]', () => {
  it('charges only the seconds a gateway was up around a 70 s SIGKILL of it', { timeout: 180_000 }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'atlantic-gw-outage-'));
    const scratch = await createScratchDatabase();
    const gatewayPort = String(await freePort());
    const shared = { DATABASE_URL: scratch.url, GATEWAY_PORT: gatewayPort, GATEWAY_SWEEP_MS: String(SWEEP_MS) };
    const service = startChild('server/main.ts', {
      ...shared,
      ATLANTIC_EMBEDDED: '1',
      ATLANTIC_DATA_DIR: dataDir,
      PORT: '0',
      GATEWAY_EMBEDDED: '0',
      HEARTBEAT_GAP_MS: String(2 * HEARTBEAT_MS),
    });
    const startGateway = async () => {
      const gateway = startChild('server/gateway/main.ts', shared);
      await gateway.line((l) => l.msg === 'gateway started');
      return { gateway, upAt: Date.now() };
    };
    let { gateway } = await startGateway();
    let stopHeartbeats = () => undefined as void;
    try {
      const { url } = await service.line((l) => l.msg === 'billing service started');
      await service.line((l) => l.msg === 'local account ready');
      const token = (await readFile(join(dataDir, 'local-account.token'), 'utf8')).trim();
      await buyWithSandbox(url, token);
      const { session } = await connect(url, token);
      stopHeartbeats = keepHeartbeating(() => url, token, session.id, HEARTBEAT_MS);

      await sleep(5_000);
      const downAt = Date.now();
      await gateway.kill();
      await sleep(OUTAGE_MS);
      const restarted = await startGateway();
      gateway = restarted.gateway;
      await sleep(5_000);
      const ended = await callJson(url, 'POST', '/api/proxy/disconnect', token, { session_id: session.id });
      stopHeartbeats();
      expect(ended?.status).toBe(200);

      expectChargedForServed(ended!.body.session, { downAt, upAt: restarted.upAt }, COUNTRY_RATE);
    } finally {
      stopHeartbeats();
      await gateway.stop();
      await service.stop();
      await scratch.drop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
