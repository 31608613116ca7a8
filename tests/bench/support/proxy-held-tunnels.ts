import type net from 'node:net';
import { rssKb } from './bench-children.ts';
import { openTunnel } from './proxy-short-connections.ts';

// Tunnels opened at a time while building up the held set.
const OPENING_CONCURRENCY = 100;
const WARMUP_TUNNELS = 200;

/** A way in (local proxy port) and the gateway process behind it, whose memory is read. */
export interface TunnelPath {
  proxyPort: number;
  gatewayPid: number;
}

export interface HeldTunnels {
  live: number;
  rssBeforeKb: number;
  rssHeldKb: number;
}

async function openMany(paths: TunnelPath[], target: string, count: number): Promise<net.Socket[]> {
  const tunnels: net.Socket[] = [];
  for (let i = 0; i < count; i += OPENING_CONCURRENCY) {
    const batch = Array.from({ length: Math.min(OPENING_CONCURRENCY, count - i) }, (_, j) =>
      openTunnel(paths[(i + j) % paths.length]!.proxyPort, target),
    );
    tunnels.push(...(await Promise.all(batch)));
  }
  return tunnels;
}

const gatewaysRssKb = async (paths: TunnelPath[]) =>
  (await Promise.all(paths.map((p) => rssKb(p.gatewayPid)))).reduce((a, b) => a + b, 0);

/**
 * Opens `count` CONNECT tunnels to an echo target, spread evenly over `paths`,
 * holds them all open, proves each live by an echo, and reads the gateways'
 * memory (summed) before and with them. A few hundred tunnels opened and closed
 * first, so the "before" already includes the code and pools any tunnel needs.
 */
export async function holdTunnels(paths: TunnelPath[], echoTarget: string, count: number): Promise<HeldTunnels> {
  for (const socket of await openMany(paths, echoTarget, WARMUP_TUNNELS)) socket.destroy();
  await new Promise((resolve) => setTimeout(resolve, 500));
  const rssBeforeKb = await gatewaysRssKb(paths);
  const tunnels = await openMany(paths, echoTarget, count);
  try {
    const echoed = await Promise.all(
      tunnels.map(
        (socket, i) =>
          new Promise<boolean>((resolve) => {
            socket.once('data', (chunk) => resolve(chunk.toString() === `ping ${i}`));
            socket.write(`ping ${i}`);
          }),
      ),
    );
    const rssHeldKb = await gatewaysRssKb(paths);
    return { live: echoed.filter(Boolean).length, rssBeforeKb, rssHeldKb };
  } finally {
    for (const socket of tunnels) socket.destroy();
  }
}
