import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the simulators see it: the raw body is kept, as signatures and parsing depend on exact bytes. */
export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
}

export interface SimResponse {
  status: number;
  json?: unknown;
  html?: string;
  /** Sets a Location header (for 302s). */
  location?: string;
}

export type Handler = (request: SimRequest, baseUrl: string) => SimResponse | Promise<SimResponse>;

/** A plain node:http server on 127.0.0.1 and a free port: the simulators need nothing more. */
export class SimServer {
  readonly #handler: Handler;
  #server: http.Server | undefined;
  #url = '';

  constructor(handler: Handler) {
    this.#handler = handler;
  }

  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  get url(): string {
    if (!this.#url) throw new Error('the server is not started');
    return this.#url;
  }

  async start(): Promise<string> {
    if (this.#server) return this.#url;
    const server = http.createServer((request, response) => void this.#serve(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.#server = server;
    this.#url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.#url;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async #serve(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const url = new URL(request.url ?? '/', this.#url);
      let answer: SimResponse;
      try {
        answer = await this.#handler(
          {
            method: request.method ?? 'GET',
            path: url.pathname,
            query: url.searchParams,
            headers: request.headers,
            rawBody: Buffer.concat(chunks).toString('utf8'),
          },
          this.#url,
        );
      } catch (error) {
        // A simulator bug must be loud, never a silent 200.
        answer = { status: 500, json: { error: `simulator error: ${String(error)}` } };
      }
      write(response, answer);
    } catch {
      response.destroy();
    }
  }
}

function write(response: http.ServerResponse, answer: SimResponse): void {
  const headers: http.OutgoingHttpHeaders = {};
  let body = '';
  if (answer.html !== undefined) {
    headers['content-type'] = 'text/html; charset=utf-8';
    body = answer.html;
  } else if (answer.json !== undefined) {
    headers['content-type'] = 'application/json; charset=utf-8';
    body = JSON.stringify(answer.json);
  }
  if (answer.location) headers.location = answer.location;
  headers['content-length'] = Buffer.byteLength(body);
  response.writeHead(answer.status, headers).end(body);
}

/** Matches '/a/:id/b' against a path; returns the decoded params, or null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? '';
    const g = got[i] ?? '';
    if (w.startsWith(':')) {
      if (!g) return null;
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return null;
      }
    } else if (w !== g) {
      return null;
    }
  }
  return params;
}

/** JSON.parse that reports failure instead of throwing; only plain objects count as a request body. */
export function parseObject(raw: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(raw);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
