import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { Protocol } from 'electron';
import { APP_HOST, APP_SCHEME } from './app-origin.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * Must run before the app is ready: app:// behaves like https (secure, standard
 * origin). Vite emits `<script type="module" crossorigin>`, fetched in CORS mode,
 * which needs corsEnabled; only app:// pages ever load in this session (the
 * navigation guard), so no other page is there to read it.
 */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
  ]);
}

/** The file under `rootDir` an app:// URL names, or null when it names anything else (other host, `..`). */
export function appFilePath(rootDir: string, url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  const relative = decodeURIComponent(parsed.pathname === '/' ? '/index.html' : parsed.pathname);
  const root = normalize(rootDir);
  const path = normalize(join(root, relative));
  return path.startsWith(root + sep) ? path : null;
}

/** Answers an app:// request from the built renderer, with the CSP on every response. */
export async function serveAppFile(rootDir: string, url: string, policy: string): Promise<Response> {
  const path = appFilePath(rootDir, url);
  const body = path ? await readFile(path).catch(() => null) : null;
  if (!path || !body) return new Response('Not found', { status: 404, headers: { 'Content-Security-Policy': policy } });
  return new Response(new Uint8Array(body), {
    headers: {
      'Content-Type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
      'Content-Security-Policy': policy,
      'X-Content-Type-Options': 'nosniff',
    },
  });
}

export function handleAppProtocol(protocol: Pick<Protocol, 'handle'>, rootDir: string, policy: string): void {
  protocol.handle(APP_SCHEME, (request) => serveAppFile(rootDir, request.url, policy));
}
