import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killOnExit, openFilesLimit } from './bench-children.ts';

// The native reference for the proxy bench: HAProxy (Debian's package) in TCP
// mode, several processes in a row, each relaying every named target to the
// next hop, the last to the target itself. Tuned as a bulk relay: 1 MiB buffers.
const HAPROXY = process.env.HAPROXY_BIN ?? '/usr/sbin/haproxy';
const READY_TIMEOUT_MS = 10_000;
// Enough for the bench's 64 concurrent connections many times over; HAProxy needs two
// descriptors a connection and refuses to start when it may not open that many.
const MAX_CONNECTIONS = Math.max(64, Math.min(4096, Math.floor((openFilesLimit() - 200) / 2)));

export interface HaproxyChain<Name extends string> {
  /** Where to connect for each target: its port on the hop nearest the client, on 127.0.0.1. */
  ports: Record<Name, number>;
  /** The HAProxy processes, nearest the targets first. */
  pids: number[];
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** One hop's configuration: each target's listener relays to `to[name]`. */
export function haproxyConfig(listen: Record<string, number>, to: Record<string, number>): string {
  const sections = Object.entries(listen).map(
    ([name, port]) => `listen ${name}\n  bind 127.0.0.1:${port}\n  server next 127.0.0.1:${to[name]}\n`,
  );
  return [
    `global\n  maxconn ${MAX_CONNECTIONS}\n  tune.bufsize 1048576\n`,
    'defaults\n  mode tcp\n  timeout connect 5s\n  timeout client 60s\n  timeout server 60s\n',
    ...sections,
  ].join('\n');
}

/** Whether something listens on this loopback port. */
export function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function startHop(configFile: string, ports: number[]): Promise<ChildProcess> {
  // -db: stay in the foreground, so the process we started is the one that relays.
  const child = spawn(HAPROXY, ['-db', '-f', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  killOnExit(child);
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`haproxy exited: ${stderr.trim()}`);
    if ((await Promise.all(ports.map(acceptsConnections))).every(Boolean)) return child;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`haproxy did not listen within ${READY_TIMEOUT_MS} ms: ${stderr.trim()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts `hops` HAProxy processes in a row in front of `targets` (name → port on 127.0.0.1). */
export async function startHaproxyChain<Name extends string>(
  targets: Record<Name, number>,
  hops = 2,
): Promise<HaproxyChain<Name>> {
  const dir = await mkdtemp(join(tmpdir(), 'atlantic-haproxy-'));
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(
      children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }),
    );
    await rm(dir, { recursive: true, force: true });
  };
  try {
    let next: Record<string, number> = targets;
    for (let hop = 0; hop < hops; hop += 1) {
      const listen: Record<string, number> = {};
      for (const name of Object.keys(targets)) listen[name] = await freePort();
      const configFile = join(dir, `hop-${hop}.cfg`);
      await writeFile(configFile, haproxyConfig(listen, next));
      children.push(await startHop(configFile, Object.values(listen)));
      next = listen;
    }
    return { ports: next as Record<Name, number>, pids: children.map((c) => c.pid!), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
