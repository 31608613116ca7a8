import type { FastifyRequest } from 'fastify';
import { AppError } from '../../shared/errors.ts';
import { resolveToken, type Principal } from '../accounts/tokens.ts';
import type { AppDeps } from './app-types.ts';

// A resolved token is reused for a few seconds: the balance endpoint is polled
// by every client and should cost one query, not two. Logout clears it here at
// once; other processes honour a revocation within this window.
const CACHE_MS = 5_000;
const CACHE_MAX = 10_000;

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1] ?? null;
}

export function createAuthenticator(deps: AppDeps) {
  const cache = new Map<string, { principal: Principal; until: number }>();

  async function authenticate(request: FastifyRequest): Promise<void> {
    const token = bearerToken(request);
    if (!token) throw new AppError('unauthorized', 'sign in: this route needs a bearer token');
    const now = Date.now();
    const cached = cache.get(token);
    if (cached && cached.until > now) {
      request.principal = cached.principal;
      return;
    }
    const principal = await resolveToken(deps.db, token, deps.clock.now());
    if (!principal) throw new AppError('unauthorized', 'the token is unknown, expired or revoked');
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(token, { principal, until: now + CACHE_MS });
    request.principal = principal;
  }

  async function requireAdmin(request: FastifyRequest): Promise<void> {
    await authenticate(request);
    if (request.principal?.role !== 'admin') throw new AppError('forbidden', 'this route is for administrators');
  }

  return { authenticate, requireAdmin, forget: (token: string) => cache.delete(token) };
}

export type Authenticator = ReturnType<typeof createAuthenticator>;

/** The signed-in user of a route behind `authenticate`. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('unauthorized', 'sign in: this route needs a bearer token');
  return request.principal;
}
