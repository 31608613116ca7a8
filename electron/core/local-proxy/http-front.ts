import http from 'node:http';
import type { Socket } from 'node:net';
import { authorityOf, GatewayTunnelError, openGatewayTunnel } from './gateway-tunnel.ts';
import type { GatewayRefusalNotice, ProxyRoute } from './proxy-route.ts';
import { failureOf, plainResponse } from './refusal-text.ts';
import { relay } from './relay.ts';

export interface FrontDeps {
  route(): ProxyRoute;
  onGatewayRefused(notice: GatewayRefusalNotice): void;
}

// Meant for this hop only (RFC 9110 §7.6.1); the client's own proxy credentials never travel on.
const HOP_BY_HOP = new Set([
  'connection',
  'proxy-connection',
  'keep-alive',
  'proxy-authorization',
  'proxy-authenticate',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function endToEnd(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase()),
  );
  const kept: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name) && !named.has(name)) kept[name] = value;
  }
  return kept;
}

/** `host:port` of a CONNECT request, or undefined when it isn't one. */
function parseAuthority(authority: string | undefined): { host: string; port: number } | undefined {
  try {
    const url = new URL(`connect://${authority}`);
    const port = Number(url.port);
    if (!url.hostname || !port) return undefined;
    return { host: url.hostname.replace(/^\[|\]$/g, ''), port };
  } catch {
    return undefined;
  }
}

/**
 * The HTTP side of the local proxy: CONNECT tunnels and absolute-URI requests,
 * each carried to its target through a gateway CONNECT tunnel of the session.
 * Sockets are handed in by the local proxy once it knows they speak HTTP.
 */
export function createHttpFront(deps: FrontDeps): http.Server {
  const server = http.createServer();

  function reportRefusal(error: unknown): void {
    if (error instanceof GatewayTunnelError && error.refusal) deps.onGatewayRefused(error.refusal);
  }

  server.on('connect', async (request: http.IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const target = parseAuthority(request.url);
    if (!target)
      return socket.end(plainResponse(400, `Atlantic Proxy: "${request.url}" is not a host:port to connect to.`));
    const route = deps.route();
    if ('refusal' in route) return socket.end(plainResponse(503, route.refusal));
    try {
      const tunnel = await openGatewayTunnel(route.gateway, target);
      if (socket.destroyed) return tunnel.destroy();
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) tunnel.write(head);
      relay(socket, tunnel);
    } catch (error) {
      reportRefusal(error);
      const failure = failureOf(error, authorityOf(target.host, target.port));
      socket.end(plainResponse(failure.status, failure.text));
    }
  });

  server.on('request', (request: http.IncomingMessage, response: http.ServerResponse) => {
    const reply = (status: number, text: string) => {
      const body = `${text}\n`;
      response.writeHead(status, {
        'content-type': 'text/plain; charset=utf-8',
        'content-length': Buffer.byteLength(body),
        connection: 'close',
      });
      response.end(body);
    };
    let url: URL;
    try {
      url = new URL(request.url ?? '');
    } catch {
      return reply(400, 'This is the Atlantic Proxy local proxy: send absolute http:// URLs, CONNECT or SOCKS5.');
    }
    if (url.protocol !== 'http:') return reply(400, `Atlantic Proxy: use CONNECT for ${url.protocol} URLs.`);
    const route = deps.route();
    if ('refusal' in route) return reply(503, route.refusal);

    const target = { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 80) };
    const outgoing = http.request({
      method: request.method,
      path: `${url.pathname}${url.search}`,
      headers: { ...endToEnd(request.headers), host: request.headers.host ?? url.host },
      createConnection: (_options, created) => {
        openGatewayTunnel(route.gateway, target).then(
          (tunnel) => created(null, tunnel),
          (error: Error) => created(error, undefined as never),
        );
        return undefined;
      },
    });
    outgoing.on('response', (incoming) => {
      response.writeHead(incoming.statusCode ?? 502, incoming.statusMessage, endToEnd(incoming.headers));
      incoming.pipe(response);
      incoming.on('error', () => response.destroy());
    });
    outgoing.on('error', (error) => {
      reportRefusal(error);
      if (response.headersSent) return response.destroy();
      const failure = failureOf(error, authorityOf(target.host, target.port));
      reply(failure.status, failure.text);
    });
    // Closed early by the client (or by us when the session goes): stop the upstream request too.
    response.on('close', () => {
      if (!response.writableFinished) outgoing.destroy();
    });
    request.pipe(outgoing);
  });

  server.on('clientError', (_error, socket: Socket) => {
    if (socket.writable) socket.end(plainResponse(400, 'Atlantic Proxy: malformed request.'));
    else socket.destroy();
  });
  return server;
}
