import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createUser } from '../../server/accounts/users.ts';
import type { Db } from '../../server/db/types.ts';
import { credit } from '../../server/ledger/ledger.ts';
import { startSession } from '../../server/sessions/sessions.ts';
import { openFilesLimit, startChild, stopChild, type Child } from './support/bench-children.ts';
import { startHaproxyChain } from './support/haproxy-chain.ts';
import { holdTunnels, type TunnelPath } from './support/proxy-held-tunnels.ts';
import { measureShortConnections, printShortResults } from './support/proxy-short-connections.ts';
import { measureDownloads } from './support/proxy-throughput.ts';
import { benchServerUrl, withScratchDatabase } from './support/scratch-database.ts';
import { UsageError } from './support/usage-error.ts';

// The proxy path end to end, every part in a process of its own: origin, gateway
// (`npm run gateway`'s entry, on a fresh PostgreSQL database) and the client
// core's local proxy; beside it, two HAProxy processes in a row (TCP mode, the
// native reference the headline ratios are against), two bare Node relays in a
// row (what two relay hops cost at all) and direct. Three workloads: 10,000
// tunnels held open (the gateway's memory per tunnel), a 1 GiB download, and
// many short connections (1 KiB request, 16 KiB answer, close) at a few
// concurrencies. Smaller sizes for development: BENCH_PROXY_BYTES,
// BENCH_PROXY_ROUNDS, BENCH_PROXY_SHORT (connections per concurrency and round),
// BENCH_PROXY_TUNNELS; BENCH_PROXY_PROFILE=DIR writes CPU profiles of the gateway
// and local proxy there.
const knob = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const DOWNLOAD_BYTES = knob('BENCH_PROXY_BYTES', 1 << 30);
const ROUNDS = knob('BENCH_PROXY_ROUNDS', 3);
const SHORT_COUNT = knob('BENCH_PROXY_SHORT', 2000);
const TUNNELS = knob('BENCH_PROXY_TUNNELS', 10_000);
const PROFILE_DIR = process.env.BENCH_PROXY_PROFILE;
const SHORT = { requestBytes: 1024, answerBytes: 16 * 1024, concurrencies: [1, 16, 64], headline: 16 };
// Descriptors a process keeps besides its tunnels' sockets (database pool, stdio, listeners).
const SPARE_FILES = 500;
const TARGETS = { throughputVsHaproxy: 1.2, shortVsHaproxy: 0.5, kbPerTunnel: 20 };
const OURS = ['local proxy CONNECT + gateway', 'local proxy SOCKS5 + gateway', 'local proxy absolute URI + gateway'];
const HAPROXY = 'two HAProxy hops';

const log = (line: string) => console.log(line);

interface ProxyPath {
  gateway: Child;
  client: Child;
  proxyPort: number;
}

/** Starts a gateway on the scratch database and a local proxy in front of it, signed in as the session. */
async function startPath(url: string, session: { id: string; password: string }, nodeArgs: string[] = []) {
  const gateway = await startChild(
    'server/gateway/main.ts',
    {
      DATABASE_URL: url,
      GATEWAY_HOST: '127.0.0.1',
      GATEWAY_PORT: '0',
      LOG_LEVEL: 'info',
      ATLANTIC_EXITS_FILE: '',
      // The origin is on loopback, which the gateway's egress policy refuses unless allowed.
      GATEWAY_ALLOW_CIDRS: '127.0.0.0/8,::1/128',
    },
    (l) => l.msg === 'gateway started',
    nodeArgs,
  );
  const credentials = { host: '127.0.0.1', port: gateway.ready.port, username: session.id, password: session.password };
  const client = await startChild(
    'tests/bench/support/proxy-local.ts',
    { BENCH_GATEWAY: JSON.stringify(credentials) },
    (l) => 'port' in l,
    nodeArgs,
  );
  return { gateway, client, proxyPort: client.ready.port as number } satisfies ProxyPath;
}

/** One user with credit and one live session; nobody meters it, so it stays live for the run. */
async function liveSession(db: Db): Promise<{ id: string; password: string }> {
  const password = randomBytes(24).toString('base64url');
  const userId = await createUser(db, { email: 'bench@proxy.bench' });
  await credit(db, { userId, kind: 'adjustment', amount: 100_000_000n, idempotencyKey: 'bench', description: 'bench' });
  const session = await startSession(db, {
    userId,
    targeting: { country: 'us' },
    now: Date.now(),
    gatewayPasswordHash: createHash('sha256').update(password).digest('hex'),
  });
  return { id: session.id, password };
}

export async function run(): Promise<void> {
  const serverUrl = benchServerUrl();
  const ownLimit = Number(execFileSync('bash', ['-c', 'ulimit -Sn'], { encoding: 'utf8' }).trim());
  if (ownLimit < TUNNELS + SPARE_FILES) {
    throw new UsageError(
      `holding ${TUNNELS} tunnels needs more open files: run \`ulimit -n ${TUNNELS + SPARE_FILES}\` first`,
    );
  }
  await withScratchDatabase(serverUrl, async ({ db, url }) => {
    const session = await liveSession(db);
    const origin = await startChild(
      'tests/bench/support/proxy-origin.ts',
      { BENCH_SHORT_REQUEST: String(SHORT.requestBytes), BENCH_SHORT_ANSWER: String(SHORT.answerBytes) },
      (l) => 'http' in l,
    );
    const originPorts = { bytes: origin.ready.http as number, short: origin.ready.short as number };
    const echoTarget = `127.0.0.1:${origin.ready.echo}`;
    const profile = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
    const main = await startPath(url, session, profile);
    const startRelay = (targets: Record<string, number>) =>
      startChild('tests/bench/support/proxy-bare-relay.ts', { BENCH_RELAY_TARGETS: JSON.stringify(targets) }, (l) => 'ports' in l); // prettier-ignore
    const relayNearOrigin = await startRelay(originPorts);
    const relayNearCurl = await startRelay(relayNearOrigin.ready.ports as typeof originPorts);
    const relayPorts = relayNearCurl.ready.ports as typeof originPorts;
    const haproxy = await startHaproxyChain(originPorts, 2);
    log(
      `origin pid ${origin.pid}, gateway pid ${main.gateway.pid}, local proxy pid ${main.client.pid} on :${main.proxyPort}, HAProxy pids ${haproxy.pids.join(' ')}`,
    );

    try {
      // 1. Tunnels held open, first, while the gateways are fresh: their memory is not yet
      // grown by bulk downloads, which would hide what the tunnels cost.
      const perPath = Math.floor((openFilesLimit() - SPARE_FILES) / 2);
      const extra = await Promise.all(
        Array.from({ length: Math.ceil(TUNNELS / perPath) - 1 }, () => startPath(url, session)),
      );
      const paths: TunnelPath[] = [main, ...extra].map((p) => ({ proxyPort: p.proxyPort, gatewayPid: p.gateway.pid }));
      const held = await holdTunnels(paths, echoTarget, TUNNELS);
      await Promise.all(extra.flatMap((p) => [stopChild(p.client), stopChild(p.gateway)]));
      const kbPerTunnel = (held.rssHeldKb - held.rssBeforeKb) / TUNNELS;
      log(`\n${TUNNELS} tunnels held at once, ${held.live} answering an echo through origin ← gateway ← local proxy`);
      if (paths.length > 1) {
        log(
          `  over ${paths.length} gateways (and local proxies), ${TUNNELS / paths.length} each: a process may open ${openFilesLimit()} files here, and a tunnel takes two in each`,
        );
      }
      log(
        `  gateway RSS ${(held.rssBeforeKb / 1024).toFixed(1)} MB before, ${(held.rssHeldKb / 1024).toFixed(1)} MB with them open: ${kbPerTunnel.toFixed(1)} kB per tunnel`,
      );
      if (held.live !== TUNNELS) throw new Error(`only ${held.live} of ${TUNNELS} tunnels were live`);

      // 2. Bulk throughput, every way through interleaved in each round.
      const local = `127.0.0.1:${main.proxyPort}`;
      const bytesPath = `/bytes/${DOWNLOAD_BYTES}`;
      const originUrl = `http://127.0.0.1:${originPorts.bytes}${bytesPath}`;
      const watched = [
        { name: 'origin', pids: [origin.pid] },
        { name: 'gateway', pids: [main.gateway.pid] },
        { name: 'local proxy', pids: [main.client.pid] },
        { name: 'bare relays', pids: [relayNearOrigin.pid, relayNearCurl.pid] },
        { name: 'HAProxy ×2', pids: haproxy.pids },
        { name: 'this load generator', pids: [process.pid] },
      ];
      const best = await measureDownloads(
        [
          { name: 'direct', curlArgs: [], url: originUrl },
          { name: 'two bare relays (floor)', curlArgs: [], url: `http://127.0.0.1:${relayPorts.bytes}${bytesPath}` },
          { name: HAPROXY, curlArgs: [], url: `http://127.0.0.1:${haproxy.ports.bytes}${bytesPath}` },
          { name: OURS[0]!, curlArgs: ['-p', '-x', `http://${local}`], url: originUrl },
          { name: OURS[1]!, curlArgs: ['--socks5-hostname', local], url: originUrl },
          { name: OURS[2]!, curlArgs: ['-x', `http://${local}`], url: originUrl },
        ],
        [HAPROXY, 'direct'],
        DOWNLOAD_BYTES,
        ROUNDS,
        watched,
      );
      // The slowest of our ways through counts.
      const ours = Math.min(...OURS.map((name) => best.get(name)!));
      const throughputVsHaproxy = ours / best.get(HAPROXY)!;
      const throughputRatio = ours / best.get('direct')!;
      log(
        `  slowest of ours: ${throughputVsHaproxy.toFixed(2)}× ${HAPROXY}, ${throughputRatio.toFixed(2)}× direct (HAProxy ${(best.get(HAPROXY)! / best.get('direct')!).toFixed(2)}×, bare relays ${(best.get('two bare relays (floor)')! / best.get('direct')!).toFixed(2)}×)`,
      );

      // 3. Short connections: HAProxy in TCP mode takes the request as it is; ours opens a CONNECT tunnel first.
      const short = await measureShortConnections(
        [
          { name: 'direct', port: originPorts.short },
          { name: 'two bare relays (TCP)', port: relayPorts.short },
          { name: `${HAPROXY} (TCP, no CONNECT)`, port: haproxy.ports.short },
          {
            name: 'local proxy + gateway (CONNECT)',
            port: main.proxyPort,
            connectTo: `127.0.0.1:${originPorts.short}`,
          },
        ],
        SHORT.concurrencies,
        watched,
        { count: SHORT_COUNT, rounds: ROUNDS, ...SHORT },
      );
      log(
        `\nshort connections: open, ${SHORT.requestBytes} B request, ${SHORT.answerBytes / 1024} KiB answer, close; ${SHORT_COUNT} per concurrency, best of ${ROUNDS} interleaved rounds`,
      );
      log('  (HAProxy relays TCP straight to the origin: the client sends no CONNECT and waits for no 200)');
      printShortResults(short, `${HAPROXY} (TCP, no CONNECT)`, watched);
      const oursShort = short.get('local proxy + gateway (CONNECT)')!.get(SHORT.headline)!;
      const shortVsHaproxy =
        oursShort.perSecond / short.get(`${HAPROXY} (TCP, no CONNECT)`)!.get(SHORT.headline)!.perSecond;

      const met =
        throughputVsHaproxy >= TARGETS.throughputVsHaproxy &&
        shortVsHaproxy >= TARGETS.shortVsHaproxy &&
        kbPerTunnel <= TARGETS.kbPerTunnel;
      log(
        `\ntargets: throughput ≥ ${TARGETS.throughputVsHaproxy}× HAProxy (${throughputVsHaproxy.toFixed(2)}), ` +
          `short connections at concurrency ${SHORT.headline} ≥ ${TARGETS.shortVsHaproxy}× HAProxy (${shortVsHaproxy.toFixed(2)}), ` +
          `${TUNNELS} tunnels at ≤ ${TARGETS.kbPerTunnel} kB each (${kbPerTunnel.toFixed(1)}) → ${met ? 'met' : 'NOT met'}`,
      );
      log(
        JSON.stringify({
          bench: 'proxy',
          throughput_vs_haproxy: Number(throughputVsHaproxy.toFixed(3)),
          short_conn_per_s: Math.round(oursShort.perSecond),
          short_conn_vs_haproxy: Number(shortVsHaproxy.toFixed(3)),
          short_p99_ms: Number(oursShort.p99Ms.toFixed(2)),
          tunnels: held.live,
          gateway_kb_per_tunnel: Number(kbPerTunnel.toFixed(1)),
          throughput_ratio: Number(throughputRatio.toFixed(3)),
        }),
      );
    } finally {
      await haproxy.stop();
      await Promise.all([main.client, main.gateway, origin, relayNearOrigin, relayNearCurl].map(stopChild));
    }
  });
}
