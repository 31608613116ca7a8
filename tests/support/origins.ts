import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface Origin {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  /** Bytes of request bodies received by POST /upload. */
  uploaded: number;
  /** TCP connections it has accepted. */
  connections: number;
  close(): Promise<void>;
}

const CHUNK = Buffer.alloc(64 * 1024, 'x');

/**
 * GATEWAY_ALLOW_CIDRS for tests: the origins listen on loopback, which the
 * gateway's direct exit refuses unless the operator allows it.
 */
export const LOCAL_ORIGIN_CIDRS = '127.0.0.0/8,::1/128';

/**
 * What the proxy tests fetch: GET /hello, GET /bytes/N (N bytes), GET /stream
 * (64 KiB every 10 ms until the client goes, under a huge Content-Length so a
 * cut is an error), POST /upload?down=N (reads the body, answers N bytes).
 */
function handle(origin: Origin) {
  return (request: http.IncomingMessage, response: http.ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://origin');
    if (url.pathname === '/hello') {
      response.end(`hello from the origin (${request.headers['x-forwarded-for'] ? 'forwarded' : 'plain'})\n`);
    } else if (url.pathname.startsWith('/bytes/')) {
      const size = Number(url.pathname.slice('/bytes/'.length));
      response.writeHead(200, { 'content-length': size, 'content-type': 'application/octet-stream' });
      let left = size;
      const write = () => {
        while (left > 0) {
          const chunk = left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left);
          left -= chunk.length;
          if (!response.write(chunk)) return void response.once('drain', write);
        }
        response.end();
      };
      write();
    } else if (url.pathname === '/stream') {
      response.writeHead(200, { 'content-length': 1 << 30, 'content-type': 'application/octet-stream' });
      const timer = setInterval(() => response.write(CHUNK), 10);
      response.on('close', () => clearInterval(timer));
    } else if (url.pathname === '/upload' && request.method === 'POST') {
      let received = 0;
      request.on('data', (chunk: Buffer) => (received += chunk.length));
      request.on('end', () => {
        origin.uploaded += received;
        const down = Number(url.searchParams.get('down') ?? 0);
        response.writeHead(200, { 'content-length': down, 'x-received': received });
        response.end(Buffer.alloc(down, 'd'));
      });
    } else {
      response.writeHead(404).end('not found\n');
    }
  };
}

async function listen(server: http.Server, origin: Origin, scheme: string): Promise<void> {
  server.on('connection', () => (origin.connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin.port = (server.address() as AddressInfo).port;
  origin.url = `${scheme}://127.0.0.1:${origin.port}`;
  origin.close = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  };
}

export async function startHttpOrigin(): Promise<Origin> {
  const origin = { url: '', port: 0, uploaded: 0, connections: 0, close: async () => undefined } as Origin;
  await listen(http.createServer(handle(origin)), origin, 'http');
  return origin;
}

export interface TlsCertificate {
  key: Buffer;
  cert: Buffer;
  /** PEM file to hand curl as --cacert. */
  certFile: string;
  remove(): Promise<void>;
}

/** A throwaway self-signed certificate for localhost and 127.0.0.1, made with the openssl CLI. */
export async function selfSignedCertificate(): Promise<TlsCertificate> {
  const dir = await mkdtemp(join(tmpdir(), 'atlantic-tls-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  await promisify(execFile)('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout', keyFile, '-out', certFile,
  ]); // prettier-ignore
  return {
    key: await readFile(keyFile),
    cert: await readFile(certFile),
    certFile,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The same origin over TLS; its `url` names localhost, as the certificate does. */
export async function startHttpsOrigin(tls: TlsCertificate): Promise<Origin> {
  const origin = { url: '', port: 0, uploaded: 0, connections: 0, close: async () => undefined } as Origin;
  await listen(https.createServer({ key: tls.key, cert: tls.cert }, handle(origin)), origin, 'https');
  origin.url = `https://localhost:${origin.port}`;
  return origin;
}
