import type { Socket } from 'node:net';
import { authorityOf, GatewayTunnelError, openGatewayTunnel } from './gateway-tunnel.ts';
import type { GatewayRefusalNotice, ProxyRoute } from './proxy-route.ts';
import { failureOf, plainResponse } from './refusal-text.ts';
import { relay } from './relay.ts';

export interface ConnectDeps {
  route(): ProxyRoute;
  onGatewayRefused(notice: GatewayRefusalNotice): void;
}

/** Tells the app when the gateway refused the session itself (not a target it could not reach). */
export function reportRefusal(deps: ConnectDeps, error: unknown): void {
  if (error instanceof GatewayTunnelError && error.refusal) deps.onGatewayRefused(error.refusal);
}

/**
 * Serves an app's CONNECT: opens a tunnel of the session through the gateway
 * to `target`, answers 200 and relays, `early` (what the app sent behind its
 * request head) first; or answers why not, in words a browser's error page shows.
 */
export async function serveConnect(
  socket: Socket,
  target: { host: string; port: number },
  early: Buffer,
  deps: ConnectDeps,
): Promise<void> {
  const route = deps.route();
  if ('refusal' in route) return void socket.end(plainResponse(503, route.refusal));
  try {
    const tunnel = await openGatewayTunnel(route.gateway, target, { recycled: true });
    if (socket.destroyed) return void tunnel.socket.destroy();
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (early.length > 0) tunnel.socket.write(early);
    relay(socket, tunnel);
  } catch (error) {
    reportRefusal(deps, error);
    const failure = failureOf(error, authorityOf(target.host, target.port));
    socket.end(plainResponse(failure.status, failure.text));
  }
}
