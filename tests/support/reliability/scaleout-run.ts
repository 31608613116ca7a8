import net from 'node:net';
import { costOver } from '../../../shared/money.ts';
import { openDatabase } from '../../../server/db/open.ts';
import { verifyLedger } from '../../../server/ledger/verify-ledger.ts';
import { credit } from '../../../server/ledger/ledger.ts';
import { callJson, sleep } from '../billed-client.ts';
import { LOCAL_ORIGIN_CIDRS, startHttpOrigin } from '../origins.ts';
import { createDatabaseOn } from '../scratch-server.ts';
import { startChild, type ChildProcessUnderTest } from '../service-child.ts';
import { freePort } from '../test-core.ts';

export interface ScaleoutResult {
  sessions: number;
  /** Each session's charge equals its rate over its served time, with two workers ticking. */
  exact: boolean;
  ledgerViolations: number;
  /** Ended through one service, how long until its tunnel on the other process's gateway closed. */
  crossEndMs: number;
  /** After one service and one gateway were killed, the survivors still served. */
  survivorsCarriedOn: boolean;
  /** µcr charged over all sessions. */
  charged: bigint;
}

interface Node {
  child: ChildProcessUnderTest;
  url: string;
}

/** A CONNECT tunnel streaming from the origin; resolves when the gateway closes it. */
function streamThrough(gatewayPort: number, user: string, password: string, origin: URL): Promise<number> {
  return new Promise((resolve) => {
    const socket = net.connect(gatewayPort, '127.0.0.1', () => {
      const auth = Buffer.from(`${user}:${password}`).toString('base64');
      socket.write(
        `CONNECT ${origin.host} HTTP/1.1\r\nHost: ${origin.host}\r\nProxy-Authorization: Basic ${auth}\r\n\r\n`,
      );
      socket.write(`GET /stream HTTP/1.1\r\nHost: ${origin.host}\r\n\r\n`);
    });
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(Date.now()));
  });
}

/**
 * Two billing service processes and two gateways on one PostgreSQL, both services
 * metering every second, sessions connected, heartbeating and tunnelling across
 * all four; one session ended through one service while its tunnel runs on the
 * other's gateway; then one service and one gateway killed, the rest carrying on.
 */
export async function scaleoutRun(serverUrl: string, sessionsWanted = 20): Promise<ScaleoutResult> {
  const scratch = await createDatabaseOn(serverUrl, 'atlantic_scaleout');
  const origin = await startHttpOrigin();
  const children: ChildProcessUnderTest[] = [];
  try {
    const shared = { DATABASE_URL: scratch.url, LOG_LEVEL: 'info', GATEWAY_ALLOW_CIDRS: LOCAL_ORIGIN_CIDRS };
    const startService = async (): Promise<Node> => {
      const child = startChild('server/main.ts', {
        ...shared,
        PORT: '0',
        ATLANTIC_EMBEDDED: '0',
        GATEWAY_EMBEDDED: '0',
        METERING_TICK_MS: '1000',
        HEARTBEAT_GAP_MS: '2000',
        MIN_START_MINUTES: '1',
        CONNECT_RATE_LIMIT: '100000',
        LOGIN_RATE_LIMIT: '100000',
      });
      children.push(child);
      const { url } = await child.line((l) => l.msg === 'billing service started');
      return { child, url };
    };
    const startGateway = async () => {
      const port = await freePort();
      const child = startChild('server/gateway/main.ts', { ...shared, GATEWAY_PORT: String(port) });
      children.push(child);
      await child.line((l) => l.msg === 'gateway started');
      return { child, port };
    };
    const [a, b] = [await startService(), await startService()];
    const [g1, g2] = [await startGateway(), await startGateway()];
    const services = [a, b];

    const books = await openDatabase({ databaseUrl: scratch.url });
    try {
      const sessions: { id: string; token: string; password: string; home: number }[] = [];
      for (let i = 0; i < sessionsWanted; i++) {
        const via = services[i % 2]!;
        const reg = await callJson(via.url, 'POST', '/api/auth/register', undefined, {
          email: `scale-${i}@example.com`,
          password: 'correct horse battery',
        });
        const token = reg!.body.token as string;
        await credit(books, {
          userId: reg!.body.user.id,
          kind: 'adjustment',
          amount: 5_000_000n,
          idempotencyKey: `f${i}`,
        });
        const connected = await callJson(via.url, 'POST', '/api/proxy/connect', token, { country: 'US' });
        sessions.push({
          id: connected!.body.session.id,
          token,
          password: connected!.body.gateway.password,
          home: i % 2,
        });
      }
      // Heartbeats go to either service, as behind a load balancer; a dead one is skipped.
      let beating = true;
      const alive = new Set([0, 1]);
      const heartbeats = (async () => {
        for (let round = 0; beating; round++) {
          await Promise.all(
            sessions.map(async (s, i) => {
              const order = [(i + round) % 2, (i + round + 1) % 2].filter((n) => alive.has(n));
              for (const n of order) {
                if (
                  (await callJson(services[n]!.url, 'POST', '/api/proxy/heartbeat', s.token, { session_id: s.id })) !==
                  null
                )
                  break;
              }
            }),
          );
          await sleep(500);
        }
      })();

      // Tunnels on both gateways; the first session's runs on g2 and is ended through service a.
      const originUrl = new URL(origin.url);
      const tunnels = sessions
        .slice(0, 4)
        .map((s, i) => streamThrough([g1, g2][(i + 1) % 2]!.port, s.id, s.password, originUrl));
      await sleep(3_000);
      const endAt = Date.now();
      await callJson(a.url, 'POST', '/api/proxy/disconnect', sessions[0]!.token, { session_id: sessions[0]!.id });
      const crossEndMs = (await tunnels[0]!) - endAt;

      // One of each dies; the survivors carry on.
      await b.child.kill();
      alive.delete(1);
      await g2.child.kill();
      await sleep(3_000);
      const hello = await new Promise<string>((resolve) => {
        const s = sessions[2]!;
        const socket = net.connect(g1.port, '127.0.0.1', () => {
          const auth = Buffer.from(`${s.id}:${s.password}`).toString('base64');
          socket.write(
            `GET ${origin.url}/hello HTTP/1.1\r\nHost: ${originUrl.host}\r\nProxy-Authorization: Basic ${auth}\r\nConnection: close\r\n\r\n`,
          );
        });
        let answer = '';
        socket.on('data', (chunk) => (answer += chunk.toString()));
        socket.on('close', () => resolve(answer));
        socket.on('error', () => resolve(answer));
      });
      beating = false;
      await heartbeats;
      const ends = await Promise.all(
        sessions.slice(1).map((s) => callJson(a.url, 'POST', '/api/proxy/disconnect', s.token, { session_id: s.id })),
      );
      await a.child.stop();
      await g1.child.stop();

      const violations = await verifyLedger(books);
      const { rows } = await books.query<{ status: string; charged_total: bigint; rate: bigint; served: string }>(
        `SELECT status, charged_total, rate,
                (floor(extract(epoch FROM charged_until - started_at) * 1000)::bigint - unserved_ms)::text AS served
         FROM proxy_sessions`,
      );
      const exact =
        violations.length === 0 &&
        ends.every((e) => e?.status === 200) &&
        rows.every((r) => r.status === 'ended' && r.charged_total === costOver(r.rate, BigInt(r.served)));
      return {
        sessions: sessions.length,
        exact,
        ledgerViolations: violations.length,
        crossEndMs,
        survivorsCarriedOn: hello.includes('hello from the origin'),
        charged: rows.reduce((sum, r) => sum + r.charged_total, 0n),
      };
    } finally {
      await books.close();
    }
  } finally {
    for (const child of children) await child.kill();
    await origin.close();
    await scratch.drop();
  }
}
