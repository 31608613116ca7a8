import net from 'node:net';
import { cpuMsOf, type WatchedProcesses } from './proxy-throughput.ts';

/** Where short connections go: a port on 127.0.0.1, through an HTTP proxy's CONNECT when `connectTo` is set. */
export interface ShortRoute {
  name: string;
  port: number;
  /** host:port to CONNECT to; unset: the port relays straight to the origin (TCP mode). */
  connectTo?: string;
}

export interface ShortResult {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU µs per connection of each watched process group, over all rounds. */
  cpuUs: number[];
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function connected(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.setNoDelay(true);
    socket.once('error', reject);
  });
}

/** Opens a CONNECT tunnel through an HTTP proxy; resolves with the socket once the 200 arrives. */
export function openTunnel(proxyPort: number, target: string): Promise<net.Socket> {
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

/** One short connection: open, send the request, read the whole answer until the far end closes; its ms. */
async function exchange(route: ShortRoute, request: Buffer, answerBytes: number): Promise<number> {
  const started = performance.now();
  const socket = route.connectTo ? await openTunnel(route.port, route.connectTo) : await connected(route.port);
  let received = 0;
  socket.on('data', (chunk: Buffer) => (received += chunk.length));
  await new Promise<void>((resolve, reject) => {
    socket.once('end', resolve).once('error', reject);
    socket.write(request);
  });
  socket.destroy();
  if (received !== answerBytes) throw new Error(`${route.name}: answer of ${received} bytes, not ${answerBytes}`);
  return performance.now() - started;
}

/** `count` short connections, `concurrency` at a time: connections per second and latency percentiles. */
async function measure(
  route: ShortRoute,
  count: number,
  concurrency: number,
  request: Buffer,
  answerBytes: number,
): Promise<Omit<ShortResult, 'cpuUs'>> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      next += 1;
      latencies.push(await exchange(route, request, answerBytes));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: count / seconds, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
}

/**
 * Many short connections per route at each concurrency, the routes interleaved
 * over `rounds`; for each route and concurrency the round with the most
 * connections per second counts (with that round's latencies).
 */
export async function measureShortConnections(
  routes: ShortRoute[],
  concurrencies: number[],
  watched: WatchedProcesses[],
  options: { count: number; rounds: number; requestBytes: number; answerBytes: number },
): Promise<Map<string, Map<number, ShortResult>>> {
  const request = Buffer.alloc(options.requestBytes, 'q');
  const best = new Map(routes.map((r) => [r.name, new Map<number, ShortResult>()]));
  const cpuMs = new Map(routes.map((r) => [r.name, new Map(concurrencies.map((c) => [c, watched.map(() => 0)]))]));
  for (const route of routes) await measure(route, 100, 4, request, options.answerBytes); // warm-up
  for (let round = 0; round < options.rounds; round += 1) {
    for (const concurrency of concurrencies) {
      for (const route of routes) {
        const before = await cpuMsOf(watched);
        const result = await measure(route, options.count, concurrency, request, options.answerBytes);
        const after = await cpuMsOf(watched);
        const spent = cpuMs.get(route.name)!.get(concurrency)!;
        after.forEach((ms, i) => (spent[i]! += ms - before[i]!));
        const kept = best.get(route.name)!.get(concurrency);
        if (!kept || result.perSecond > kept.perSecond)
          best.get(route.name)!.set(concurrency, { ...result, cpuUs: [] });
      }
    }
  }
  const connections = options.count * options.rounds;
  for (const [name, byConcurrency] of best) {
    for (const [concurrency, result] of byConcurrency) {
      result.cpuUs = cpuMs
        .get(name)!
        .get(concurrency)!
        .map((ms) => (ms * 1000) / connections);
    }
  }
  return best;
}

/** Prints each concurrency's results, every route beside `reference`, and the CPU each spent per connection. */
export function printShortResults(
  results: Map<string, Map<number, ShortResult>>,
  reference: string,
  watched: WatchedProcesses[],
): void {
  const concurrencies = [...results.get(reference)!.keys()];
  const width = Math.max(...[...results.keys()].map((name) => name.length));
  for (const concurrency of concurrencies) {
    console.log(`  concurrency ${concurrency} (ratios: × ${reference}):`);
    const base = results.get(reference)!.get(concurrency)!.perSecond;
    for (const [name, byConcurrency] of results) {
      const { perSecond, p50Ms, p99Ms } = byConcurrency.get(concurrency)!;
      const vs = name === reference ? '' : `  ${(perSecond / base).toFixed(2)}×`;
      console.log(
        `    ${name.padEnd(width)} ${perSecond.toFixed(0).padStart(6)}/s  p50 ${p50Ms.toFixed(2).padStart(6)} ms  p99 ${p99Ms.toFixed(2).padStart(6)} ms${vs}`,
      );
    }
  }
  console.log(`  CPU µs per connection, all rounds and concurrencies (${watched.map((w) => w.name).join(' / ')}):`);
  for (const [name, byConcurrency] of results) {
    const all = [...byConcurrency.values()];
    const mean = watched.map((_, i) => all.reduce((sum, r) => sum + r.cpuUs[i]!, 0) / all.length);
    console.log(`    ${name.padEnd(width)} ${mean.map((us) => us.toFixed(0)).join(' / ')}`);
  }
}
