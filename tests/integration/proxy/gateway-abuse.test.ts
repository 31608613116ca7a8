import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl } from '../../support/curl.ts';
import { startHttpOrigin, type Origin } from '../../support/origins.ts';
import { userWithCredits } from '../../support/proxy-fixtures.ts';
import { startTestService, type TestService } from '../../support/test-service.ts';

const ATTEMPTS = 500;

/** One CONNECT attempt on a socket of its own: the status line the gateway answers. */
function attempt(port: number, target: string, credentials: string | null): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      const auth =
        credentials === null ? '' : `Proxy-Authorization: Basic ${Buffer.from(credentials).toString('base64')}\r\n`;
      socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${auth}\r\n`);
    });
    let answer = '';
    socket.setTimeout(20_000, () => socket.destroy());
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      if (answer.includes('\r\n')) socket.destroy();
    });
    socket.on('close', () => resolve(answer.split('\r\n')[0] ?? ''));
    socket.on('error', () => undefined);
  });
}

// A flood of tunnel attempts without a paid session must neither get through nor
// starve the customers who pay.
describe('the gateway under a flood of unpaid tunnel attempts [postgres]', () => {
  let service: TestService;
  let origin: Origin;

  beforeAll(async () => {
    service = await startTestService('postgres', { GATEWAY_ALLOW_CIDRS: '127.0.0.0/8' });
    origin = await startHttpOrigin();
  });
  afterAll(async () => {
    await origin?.close();
    await service?.stop();
  });

  it(`refuses ${ATTEMPTS} concurrent unauthenticated and ended-session attempts while a paid download carries on`, async () => {
    const paying = await userWithCredits(service, '5');
    const paid = await service.call('POST', '/api/proxy/connect', { token: paying.token, body: { country: 'US' } });
    const gw = paid.body.gateway;
    const quitter = await userWithCredits(service, '5');
    const gone = await service.call('POST', '/api/proxy/connect', { token: quitter.token, body: { country: 'US' } });
    await service.call('POST', '/api/proxy/disconnect', {
      token: quitter.token,
      body: { session_id: gone.body.session.id },
    });

    const via = ['-x', `http://127.0.0.1:${gw.port}`, '--proxy-user', `${gw.username}:${gw.password}`];
    const download = curl(
      [...via, '-o', '/dev/null', '-w', '%{size_download}', `${origin.url}/bytes/${64 << 20}`],
      60_000,
    );
    const target = new URL(origin.url).host;
    const kinds = [
      null,
      `${gone.body.gateway.username}:${gone.body.gateway.password}`,
      `${gw.username}:wrong-password`,
      'not-a-session:password',
    ];
    const answers = await Promise.all(
      Array.from({ length: ATTEMPTS }, (_, i) => attempt(gw.port, target, kinds[i % kinds.length]!)),
    );
    for (const status of answers) expect(status).toMatch(/^HTTP\/1\.[01] 407 /);
    expect(origin.connections).toBeLessThanOrEqual(1); // only the paid download reached it

    const result = await download;
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(String(64 << 20));
  });
});
