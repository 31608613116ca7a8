import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits, URL-safe, so the printed address can carry it as is. */
export function newAccessToken(): string {
  return randomBytes(32).toString('base64url');
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * Constant time: both sides are hashed first so timingSafeEqual always
 * compares equal lengths and the token's length leaks nothing either.
 */
export function tokenMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  return timingSafeEqual(digest(expected), digest(presented));
}

/** Cookies are shared by every port of 127.0.0.1, so each host's cookie is named by its port. */
export const tokenCookieName = (port: number): string => `atlantic_token_${port}`;

/** The Set-Cookie value that lets the SPA's asset and WebSocket requests carry the token. */
export function tokenCookie(port: number, token: string): string {
  return `${tokenCookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

export interface PresentedToken {
  token: string | undefined;
  /** The token came in the address (first page load), not in the cookie. */
  inQuery: boolean;
}

/** The token a request carries: `?token=` first, else the host's cookie. */
export function presentedToken(
  rawUrl: string | undefined,
  cookieHeader: string | undefined,
  port: number,
): PresentedToken {
  const query = new URL(rawUrl ?? '/', 'http://host.invalid').searchParams.get('token');
  if (query !== null) return { token: query, inQuery: true };
  const name = tokenCookieName(port);
  for (const part of (cookieHeader ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return { token: value.join('='), inQuery: false };
  }
  return { token: undefined, inQuery: false };
}
