import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptsConnections, startHaproxyChain, type HaproxyChain } from '../../bench/support/haproxy-chain.ts';
import { curl } from '../../support/curl.ts';
import { startHttpOrigin, type Origin } from '../../support/origins.ts';

// The proxy bench's native reference (tests/bench/support/haproxy-chain.ts) is
// not run by CI; this keeps its harness from rotting: it starts, and relays.

/** Sends `payload` through `port` and reads back as many bytes. */
function echoThrough(port: number, payload: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const socket = net.connect(port, '127.0.0.1', () => socket.write(payload));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= payload.length) {
        socket.destroy();
        resolve(Buffer.concat(chunks));
      }
    });
    socket.once('error', reject);
    socket.once('end', () => reject(new Error(`closed after ${size} of ${payload.length} bytes`)));
  });
}

describe('HAProxy chain for the proxy bench (Debian haproxy, TCP mode)', () => {
  let origin: Origin;
  let echo: net.Server;
  let chain: HaproxyChain<'web' | 'echo'>;

  beforeAll(async () => {
    origin = await startHttpOrigin();
    echo = net.createServer((socket) => {
      socket.on('error', () => socket.destroy());
      socket.pipe(socket);
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    chain = await startHaproxyChain({ web: origin.port, echo: (echo.address() as AddressInfo).port }, 2);
  });
  afterAll(async () => {
    await chain?.stop();
    await origin?.close();
    await new Promise((resolve) => echo?.close(resolve));
  });

  it('runs two haproxy processes, each listening for every target', async () => {
    expect(chain.pids).toHaveLength(2);
    expect(new Set(chain.pids).size).toBe(2);
    for (const pid of chain.pids) expect((await readFile(`/proc/${pid}/comm`, 'utf8')).trim()).toBe('haproxy');
    expect(Object.keys(chain.ports).sort()).toEqual(['echo', 'web']);
    expect(chain.ports.web).not.toBe(origin.port);
  });

  it('relays a download byte for byte, over new connections to the origin', async () => {
    const before = origin.connections;
    const result = await curl(['-w', '\n%{size_download}', `http://127.0.0.1:${chain.ports.web}/bytes/3000000`]);
    expect(result.code).toBe(0);
    expect(result.stdout.endsWith('\n3000000')).toBe(true);
    expect(result.stdout.slice(0, 3_000_000)).toBe('x'.repeat(3_000_000));
    expect(origin.connections).toBe(before + 1);
  });

  it('relays both ways: 4 MiB of random bytes come back unchanged', async () => {
    const payload = randomBytes(4 << 20);
    expect((await echoThrough(chain.ports.echo, payload)).equals(payload)).toBe(true);
  });

  it('stops: the processes exit and the ports refuse connections', async () => {
    const { ports, pids } = chain;
    await chain.stop();
    expect(await acceptsConnections(ports.web)).toBe(false);
    expect(await acceptsConnections(ports.echo)).toBe(false);
    for (const pid of pids) await expect(readFile(`/proc/${pid}/comm`, 'utf8')).rejects.toThrow();
  });
});
