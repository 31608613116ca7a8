import http from 'node:http';
import type { Socket } from 'node:net';
import { forwardBodyless, isBodyless } from './bodyless-forward.ts';
import { authorityOf, openGatewayTunnel } from './gateway-tunnel.ts';
import { endToEnd } from './hop-by-hop.ts';
import { failureOf, plainResponse } from './refusal-text.ts';
import { reportRefusal, serveConnect, type ConnectDeps } from './serve-connect.ts';

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
export function createHttpFront(deps: ConnectDeps): http.Server {
  const server = http.createServer();

  server.on('connect', (request: http.IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const target = parseAuthority(request.url);
    if (!target)
      return socket.end(plainResponse(400, `Atlantic Proxy: "${request.url}" is not a host:port to connect to.`));
    void serveConnect(socket, target, head, deps);
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
    const failed = (error: unknown) => {
      reportRefusal(deps, error);
      if (response.headersSent) return response.destroy();
      const failure = failureOf(error, authorityOf(target.host, target.port));
      reply(failure.status, failure.text);
    };
    // Downloads (no request body) skip Node's HTTP client: their bodies pass through unparsed.
    if (isBodyless(request)) return void forwardBodyless(request, response, route.gateway, url, target).catch(failed);

    const outgoing = http.request({
      method: request.method,
      path: `${url.pathname}${url.search}`,
      // The absolute URI names the host, whatever Host the client sent (RFC 9112 §3.2.2).
      headers: { ...endToEnd(request.headers), host: url.host },
      createConnection: (_options, created) => {
        openGatewayTunnel(route.gateway, target).then(
          (tunnel) => {
            created(null, tunnel.socket);
            // Handed over paused; the client's listeners are attached by now (it does so on the next tick, queued first).
            tunnel.socket.resume();
          },
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
    outgoing.on('error', failed);
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
