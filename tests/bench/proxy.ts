import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { createUser } from '../../server/accounts/users.ts';
import { credit } from '../../server/ledger/ledger.ts';
import { startSession } from '../../server/sessions/sessions.ts';
import { benchServerUrl, withScratchDatabase } from './support/scratch-database.ts';

// The proxy path end to end, every part in a process of its own: origin, gateway
// (`npm run gateway`'s entry, on a fresh PostgreSQL database) and the client
// core's local proxy. Measures a 1 GiB download through local proxy + gateway
// against the same download direct, the time to open a tunnel, and 2,000 tunnels
// held open at once with the gateway's memory. Beside them, two bare relays in a
// row (the floor): what two relay hops can reach on this machine at all.
const DOWNLOAD_BYTES = 1 << 30;
const THROUGHPUT_ROUNDS = 3;
const CONNECT_SAMPLES = 1000;
const CONNECT_WARMUP = 100;
const TUNNELS = 2000;
const TUNNEL_CONCURRENCY = 100;
const TARGETS = { throughputRatio: 0.4, connectP50Ms: 3 };
const ROOT = new URL('../../', import.meta.url).pathname;

const log = (line: string) => console.log(line);

interface Child {
  process: ChildProcess;
  /** The first JSON line it printed that `ready` accepted. */
  ready: Record<string, unknown>;
}

const children: ChildProcess[] = [];
process.once('exit', () => children.forEach((c) => c.kill('SIGKILL')));

/** Starts a TypeScript entry in its own Node process and waits for the JSON line that says it is ready. */
async function startChild(
  entry: string,
  env: Record<string, string>,
  ready: (line: Record<string, unknown>) => boolean,
): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    // stdin is a lifeline: the helpers stop when this process goes away, however it goes.
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines = createInterface({ input: child.stdout! });
  const line = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not start within 30 s`)), 30_000);
    child.once('exit', (code) => reject(new Error(`${entry} exited (${code}) before it was ready`)));
    lines.on('line', (text) => {
      try {
        const parsed = JSON.parse(text) as Record<string, unknown>;
        if (ready(parsed)) {
          clearTimeout(timer);
          resolve(parsed);
        }
      } catch {
        // not a JSON line
      }
    });
  });
  return { process: child, ready: line };
}

async function stopChild(child: Child): Promise<void> {
  if (child.process.exitCode !== null) return;
  const exited = new Promise((resolve) => child.process.once('exit', resolve));
  child.process.stdin?.end();
  child.process.kill('SIGTERM');
  await exited;
}

/** CPU time (user + system) a process has used so far, in ms; /proc counts 100 ticks a second. */
async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/** curl downloading to /dev/null; returns bytes per second. */
function download(args: string[], url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('curl', ['-sS', '--noproxy', '', '-o', '/dev/null', '-w', '%{size_download} %{speed_download}', ...args, url], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    }); // prettier-ignore
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.once('exit', (code) => {
      const [size, speed] = out.trim().split(' ').map(Number);
      if (code !== 0 || size !== DOWNLOAD_BYTES)
        return reject(new Error(`curl ${args.join(' ')} failed (${code}): ${err}`));
      resolve(speed!);
    });
  });
}

/** Opens a CONNECT tunnel through the local proxy; resolves with the socket once the 200 arrives. */
function openTunnel(proxyPort: number, target: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(proxyPort, '127.0.0.1', () =>
      socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`),
    );
    socket.setNoDelay(true);
    socket.once('data', (chunk) => {
      if (chunk.toString('latin1').startsWith('HTTP/1.1 200')) resolve(socket);
      else reject(new Error(`tunnel refused: ${chunk.toString().split('\r\n')[0]}`));
    });
    socket.once('error', reject);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const mbps = (bytesPerSecond: number) => `${(bytesPerSecond / 1e6).toFixed(0)} MB/s`;

export async function run(): Promise<void> {
  const serverUrl = benchServerUrl();
  await withScratchDatabase(serverUrl, async ({ db, url }) => {
    // One user with credit and one live session; nobody meters it, so it stays live for the run.
    const password = randomBytes(24).toString('base64url');
    const userId = await createUser(db, { email: 'bench@proxy.bench' });
    await credit(db, {
      userId,
      kind: 'adjustment',
      amount: 100_000_000n,
      idempotencyKey: 'bench',
      description: 'bench',
    });
    const session = await startSession(db, {
      userId,
      targeting: { country: 'us' },
      now: Date.now(),
      gatewayPasswordHash: createHash('sha256').update(password).digest('hex'),
    });

    const origin = await startChild('tests/bench/support/proxy-origin.ts', {}, (l) => 'http' in l);
    const gateway = await startChild(
      'server/gateway/main.ts',
      { DATABASE_URL: url, GATEWAY_HOST: '127.0.0.1', GATEWAY_PORT: '0', LOG_LEVEL: 'info', ATLANTIC_EXITS_FILE: '' },
      (l) => l.msg === 'gateway started',
    );
    const credentials = { host: '127.0.0.1', port: gateway.ready.port as number, username: session.id, password };
    const client = await startChild(
      'tests/bench/support/proxy-local.ts',
      { BENCH_GATEWAY: JSON.stringify(credentials) },
      (l) => 'port' in l,
    );
    const proxyPort = client.ready.port as number;
    // The floor: two bare relays in a row (origin ← relay ← relay ← curl), each a process of its own.
    const relayNearOrigin = await startChild(
      'tests/bench/support/proxy-bare-relay.ts',
      { BENCH_RELAY_TARGET: String(origin.ready.http) },
      (l) => 'port' in l,
    );
    const relayNearCurl = await startChild(
      'tests/bench/support/proxy-bare-relay.ts',
      { BENCH_RELAY_TARGET: String(relayNearOrigin.ready.port) },
      (l) => 'port' in l,
    );
    const floorUrl = `http://127.0.0.1:${relayNearCurl.ready.port}/bytes/${DOWNLOAD_BYTES}`;
    const bytesUrl = `http://127.0.0.1:${origin.ready.http}/bytes/${DOWNLOAD_BYTES}`;
    const echoTarget = `127.0.0.1:${origin.ready.echo}`;
    log(
      `origin pid ${origin.process.pid}, gateway pid ${gateway.process.pid} on :${credentials.port}, local proxy pid ${client.process.pid} on :${proxyPort}`,
    );

    try {
      // 1. Throughput: 1 GiB, direct and through local proxy + gateway, interleaved over a few rounds
      // in the same run; the best of each counts, as other work on the machine only ever slows a round down.
      const modes: [string, string[], string?][] = [
        ['direct', []],
        ['two bare relays (floor)', [], floorUrl],
        ['local proxy CONNECT + gateway', ['-p', '-x', `http://127.0.0.1:${proxyPort}`]],
        ['local proxy SOCKS5 + gateway', ['--socks5-hostname', `127.0.0.1:${proxyPort}`]],
        ['local proxy absolute URI + gateway', ['-x', `http://127.0.0.1:${proxyPort}`]],
      ];
      const speeds = new Map<string, number[]>(modes.map(([name]) => [name, []]));
      // Where the CPU goes, summed over the rounds: origin, gateway, local proxy, the two bare relays.
      const pids = [origin, gateway, client, relayNearOrigin, relayNearCurl].map((c) => c.process.pid!);
      const cpu = new Map<string, number[]>(modes.map(([name]) => [name, pids.map(() => 0)]));
      for (let round = 0; round < THROUGHPUT_ROUNDS; round += 1) {
        for (const [name, args, url] of modes) {
          const before = await Promise.all(pids.map(cpuMs));
          speeds.get(name)!.push(await download(args, url ?? bytesUrl));
          const after = await Promise.all(pids.map(cpuMs));
          cpu.set(
            name,
            cpu.get(name)!.map((ms, i) => ms + after[i]! - before[i]!),
          );
        }
      }
      const best = (name: string) => Math.max(...speeds.get(name)!);
      const direct = best('direct');
      log(
        `\n1 GiB download, curl to /dev/null, best of ${THROUGHPUT_ROUNDS} interleaved rounds (each round in brackets):`,
      );
      for (const [name] of modes) {
        const all = speeds
          .get(name)!
          .map((v) => (v / 1e6).toFixed(0))
          .join(', ');
        const vs = name === 'direct' ? '' : `  ${(best(name) / direct).toFixed(2)}× direct`;
        log(`  ${name.padEnd(36)} ${mbps(best(name)).padStart(10)}  [${all}]${vs}`);
      }
      log('  CPU seconds per GiB (origin / gateway / local proxy / bare relays):');
      for (const [name] of modes) {
        const perGiB = cpu.get(name)!.map((ms) => (ms / 1000 / THROUGHPUT_ROUNDS).toFixed(2));
        const relays = `${perGiB[3]} + ${perGiB[4]}`;
        log(`    ${name.padEnd(34)} ${[...perGiB.slice(0, 3), relays].join(' / ')}`);
      }
      // The slowest way through counts.
      const ratio = Math.min(...modes.slice(2).map(([name]) => best(name))) / direct;
      const floorRatio = best('two bare relays (floor)') / direct;

      // 2. Connect overhead: a new connection to the local proxy until the tunnel's 200, one at a time.
      const connectMs: number[] = [];
      const directMs: number[] = [];
      for (let i = 0; i < CONNECT_WARMUP + CONNECT_SAMPLES; i += 1) {
        let started = performance.now();
        const tunnel = await openTunnel(proxyPort, echoTarget);
        if (i >= CONNECT_WARMUP) connectMs.push(performance.now() - started);
        tunnel.destroy();
        started = performance.now();
        const plain = await new Promise<net.Socket>((resolve, reject) => {
          const s = net.connect(Number(origin.ready.echo), '127.0.0.1', () => resolve(s)).once('error', reject);
        });
        if (i >= CONNECT_WARMUP) directMs.push(performance.now() - started);
        plain.destroy();
      }
      connectMs.sort((a, b) => a - b);
      directMs.sort((a, b) => a - b);
      const p50 = percentile(connectMs, 50);
      const p99 = percentile(connectMs, 99);
      log(
        `\ntunnel open through local proxy + gateway (${CONNECT_SAMPLES} sequential, new TCP connection each, until the tunnel answers 200):`,
      );
      log(
        `  p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms (a direct TCP connect: p50 ${percentile(directMs, 50).toFixed(2)} ms)`,
      );

      // 3. 2,000 tunnels open at once, each proven live by an echo, and the gateway's memory.
      const rssBefore = await rssMb(gateway.process.pid!);
      const tunnels: net.Socket[] = [];
      for (let i = 0; i < TUNNELS; i += TUNNEL_CONCURRENCY) {
        const batch = Array.from({ length: Math.min(TUNNEL_CONCURRENCY, TUNNELS - i) }, () =>
          openTunnel(proxyPort, echoTarget),
        );
        tunnels.push(...(await Promise.all(batch)));
      }
      const echoed = await Promise.all(
        tunnels.map(
          (socket, i) =>
            new Promise<boolean>((resolve) => {
              socket.once('data', (chunk) => resolve(chunk.toString() === `ping ${i}`));
              socket.write(`ping ${i}`);
            }),
        ),
      );
      const live = echoed.filter(Boolean).length;
      const rssHeld = await rssMb(gateway.process.pid!);
      log(`\n${TUNNELS} tunnels opened, ${live} answering through origin ← gateway ← local proxy`);
      log(`  gateway RSS ${rssBefore.toFixed(1)} MB before, ${rssHeld.toFixed(1)} MB with them open`);
      for (const socket of tunnels) socket.destroy();
      if (live !== TUNNELS) throw new Error(`only ${live} of ${TUNNELS} tunnels were live`);

      const met = ratio >= TARGETS.throughputRatio && p50 <= TARGETS.connectP50Ms;
      log(
        `\ntargets: throughput ≥ ${TARGETS.throughputRatio}× direct (worst mode: ${ratio.toFixed(2)}; ` +
          `two bare relays reach ${floorRatio.toFixed(2)}× on this machine), ` +
          `connect p50 ≤ ${TARGETS.connectP50Ms} ms (${p50.toFixed(2)}), ${TUNNELS} tunnels held → ${met ? 'met' : 'NOT met'}`,
      );
      log(
        JSON.stringify({
          bench: 'proxy',
          throughput_ratio: Number(ratio.toFixed(3)),
          connect_p50_ms: Number(p50.toFixed(3)),
          connect_p99_ms: Number(p99.toFixed(3)),
          tunnels: live,
          gateway_rss_mb: Number(rssHeld.toFixed(1)),
          floor_ratio: Number(floorRatio.toFixed(3)),
        }),
      );
    } finally {
      await Promise.all([client, gateway, origin, relayNearOrigin, relayNearCurl].map(stopChild));
    }
  });
}
