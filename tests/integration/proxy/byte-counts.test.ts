import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyClient } from '../../../electron/core/proxy-client.ts';
import { getSession } from '../../../server/sessions/sessions.ts';
import { curl } from '../../support/curl.ts';
import { ENGINES } from '../../support/engines.ts';
import { startHttpOrigin, type Origin } from '../../support/origins.ts';
import { clientFor, userWithCredits } from '../../support/proxy-fixtures.ts';
import { startTestService, type TestService } from '../../support/test-service.ts';

const UP = 3_000_000;
const DOWN = 2_000_000;
// Per transfer: the CONNECT request and its answer, and the HTTP request and response heads.
const OVERHEAD_PER_TRANSFER = 1024;

for (const engine of ENGINES) {
  describe(`bytes counted per session [${engine}]`, () => {
    let service: TestService;
    let origin: Origin;
    let client: ProxyClient;
    let upload: string;

    beforeAll(async () => {
      service = await startTestService(engine);
      origin = await startHttpOrigin();
      client = await clientFor(await userWithCredits(service, '5'));
      upload = join(tmpdir(), `atlantic-upload-${randomBytes(4).toString('hex')}`);
      await writeFile(upload, randomBytes(UP));
    });
    afterAll(async () => {
      await client?.close();
      await origin?.close();
      await service?.stop();
      if (upload) await rm(upload, { force: true });
    });

    async function bytesOf(sessionId: string) {
      const session = await getSession(service.db, { sessionId });
      return { up: Number(session.bytesUp), down: Number(session.bytesDown) };
    }

    it('match what was sent and received, within the protocol overhead', async () => {
      const state = await client.manager.connect({ country: 'gb' });
      if (state.status !== 'connected') throw new Error('expected a live session');
      const local = `127.0.0.1:${client.port}`;
      const transfers = [
        ['-x', `http://${local}`],
        ['--socks5-hostname', local],
        ['-p', '-x', `http://${local}`],
      ];
      for (const via of transfers) {
        const sent = await curl([...via, '--data-binary', `@${upload}`, '-o', '/dev/null', '-w', '%{size_download}', `${origin.url}/upload?down=${DOWN}`]); // prettier-ignore
        expect(sent).toMatchObject({ code: 0, stdout: String(DOWN) });
      }
      expect(origin.uploaded).toBe(transfers.length * UP);

      // Written when the tunnels close; the session's own record and the API agree.
      await expect
        .poll(() => bytesOf(state.session.id))
        .toMatchObject({
          up: expect.any(Number),
          down: expect.toSatisfy((down: number) => down >= transfers.length * DOWN),
        });
      const counted = await bytesOf(state.session.id);
      expect(counted.up).toBeGreaterThanOrEqual(transfers.length * UP);
      expect(counted.up).toBeLessThanOrEqual(transfers.length * (UP + OVERHEAD_PER_TRANSFER));
      expect(counted.down).toBeLessThanOrEqual(transfers.length * (DOWN + OVERHEAD_PER_TRANSFER));
      const listed = await client.manager.checkNow().then(() => client.manager.state);
      expect(listed).toMatchObject({ session: { bytes_up: counted.up, bytes_down: counted.down } });
    });

    it('are written while a tunnel is still open, not only when it closes', async () => {
      const state = client.manager.state;
      if (state.status !== 'connected') throw new Error('expected a live session');
      const before = await bytesOf(state.session.id);
      const download = curl(['-x', `http://127.0.0.1:${client.port}`, '--max-time', '4', '-o', '/dev/null', `${origin.url}/stream`]); // prettier-ignore
      await expect
        .poll(() => bytesOf(state.session.id), { timeout: 3000 })
        .toMatchObject({
          down: expect.toSatisfy((down: number) => down > before.down + 1_000_000),
        });
      expect(service.gateway!.openConnections()).toBe(1);
      expect((await download).code).toBe(28); // still running until curl's own time limit
    });
  });
}
