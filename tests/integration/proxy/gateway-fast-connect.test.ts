import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSession } from '../../../server/sessions/sessions.ts';
import { startHttpOrigin, type Origin } from '../../support/origins.ts';
import { userWithCredits, type ProxyUser } from '../../support/proxy-fixtures.ts';
import { startTestService, type TestService } from '../../support/test-service.ts';

// A session's first CONNECT is admitted by proxy-chain (and a database read);
// later ones from the same session are read and tunnelled by the gateway itself.
// Whichever way a tunnel goes, the client must see the same. The path does not
// touch the database, so one engine is enough.

type Gateway = { host: string; port: number; username: string; password: string };

/**
 * Opens a raw CONNECT, writing `early` right behind the head; resolves with the
 * socket and what came back once `enough` says so, or the connection closed.
 */
function connect(
  gateway: Gateway,
  target: string,
  early = '',
  enough = (answer: string) => answer.includes('hello from the origin'),
): Promise<{ socket: net.Socket; answer: string }> {
  return new Promise((resolve, reject) => {
    const auth = Buffer.from(`${gateway.username}:${gateway.password}`).toString('base64');
    const socket = net.connect(gateway.port, gateway.host, () =>
      socket.write(
        `CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\nProxy-Authorization: Basic ${auth}\r\n\r\n${early}`,
      ),
    );
    let answer = '';
    const done = () => resolve({ socket, answer });
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      if (enough(answer)) done();
    });
    socket.once('close', done);
    socket.once('error', reject);
  });
}

const withoutDate = (answer: string) => answer.replace(/\r\ndate: [^\r]*/i, '').replace(/\r\nserver: [^\r]*/i, '');

describe('CONNECTs of a session admitted lately, tunnelled by the gateway itself [pglite]', () => {
  let service: TestService;
  let origin: Origin;
  let user: ProxyUser;

  beforeAll(async () => {
    service = await startTestService('pglite');
    origin = await startHttpOrigin();
    user = await userWithCredits(service, '5');
  });
  afterAll(async () => {
    await origin?.close();
    await service?.stop();
  });

  it('carry what the client sent behind its request head, like the first', async () => {
    const { gateway } = await user.billing.connect({ country: 'de' });
    const get = `GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`;
    const answers: string[] = [];
    for (let i = 0; i < 3; i += 1) answers.push((await connect(gateway, `127.0.0.1:${origin.port}`, get)).answer);
    expect(answers[0]).toMatch(/^HTTP\/1\.1 200 Connection Established\r\n\r\nHTTP\/1\.1 200 OK\r\n/);
    expect(answers[0]).toContain('hello from the origin (plain)');
    expect(answers.map(withoutDate)).toEqual(Array(3).fill(withoutDate(answers[0]!)));
  });

  it('refuse an unreachable target with the same status, headers and message as proxy-chain', async () => {
    const { gateway } = await user.billing.connect({ country: 'us' });
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const first = await connect(gateway, `127.0.0.1:${port}`);
    const later = await connect(gateway, `127.0.0.1:${port}`);
    expect(first.answer).toMatch(/^HTTP\/1\.1 594 /);
    expect(first.answer).toContain(`Could not reach 127.0.0.1:${port} (ECONNREFUSED)`);
    expect(later.answer.split('\r\n')[0]).toBe(first.answer.split('\r\n')[0]);
    const headers = (answer: string) =>
      answer.split('\r\n\r\n')[0]!.split('\r\n').slice(1).map((l) => l.toLowerCase()).filter((l) => !/^(date|server):/.test(l)).sort(); // prettier-ignore
    expect(headers(later.answer)).toEqual(headers(first.answer));
    expect(later.answer.split('\r\n\r\n')[1]).toBe(first.answer.split('\r\n\r\n')[1]);
  });

  it('are closed within a second when the session ends, and their bytes are counted', async () => {
    const { gateway, session } = await user.billing.connect({ country: 'gb' });
    const target = `127.0.0.1:${origin.port}`;
    const download = `GET /bytes/100000 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
    const downloaded = (answer: string) => answer.endsWith('x'.repeat(1000)) && answer.length > 100_000;
    const tunnels = [
      await connect(gateway, target, download, downloaded),
      await connect(gateway, target, download, downloaded),
    ];
    for (const { answer } of tunnels) expect(answer).toMatch(/^HTTP\/1\.1 200 Connection Established\r\n/);
    expect(service.gateway!.openConnections()).toBe(2);

    const closed = Promise.all(tunnels.map(({ socket }) => new Promise((resolve) => socket.once('close', resolve))));
    const endedAt = performance.now();
    await user.billing.disconnect(session.id);
    await closed;
    expect(performance.now() - endedAt).toBeLessThan(1000);
    await expect
      .poll(async () => Number((await getSession(service.db, { sessionId: session.id })).bytesDown))
      .toBeGreaterThanOrEqual(2 * 100_000);
    const again = await connect(gateway, target);
    expect(again.answer).toMatch(/^HTTP\/1\.1 407 [\s\S]*The session has ended \(disconnected\)\./);
  });
});
