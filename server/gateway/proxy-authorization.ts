import type { EventEmitter } from 'node:events';
import type http from 'node:http';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Why a Proxy-Authorization header cannot carry a session's credentials, or null when it can (or is absent). */
export function authorizationProblem(header: string | undefined): string | null {
  const value = header?.trim();
  if (!value) return null; // absent: admission asks for credentials
  const [scheme = '', ...rest] = value.split(/\s+/);
  if (scheme.toLowerCase() !== 'basic') {
    return 'Proxy-Authorization must use the Basic scheme with the session id and password.';
  }
  const encoded = rest.join('');
  if (!encoded) return 'Proxy-Authorization Basic carries no credentials.';
  const decoded = Buffer.from(encoded, 'base64');
  const canonical = decoded.toString('base64').replace(/=+$/, '');
  if (rest.length > 1 || !BASE64.test(encoded) || canonical !== encoded.replace(/=+$/, '')) {
    return 'Proxy-Authorization Basic credentials are not valid base64.';
  }
  if (!decoded.includes(':')) return 'Proxy-Authorization Basic credentials must be session-id:password.';
  return null;
}

const problems = new WeakMap<http.IncomingMessage, string>();

/**
 * proxy-chain answers a malformed or non-Basic Proxy-Authorization with 400
 * before the gateway sees the request. Screened first here, such a header is
 * set aside with its problem, so the gateway can refuse it with 407 and say why.
 */
export function screenProxyAuthorization(server: EventEmitter): void {
  const screen = (request: http.IncomingMessage) => {
    const problem = authorizationProblem(request.headers['proxy-authorization']);
    if (problem === null) return;
    problems.set(request, problem);
    delete request.headers['proxy-authorization'];
  };
  server.prependListener('request', screen);
  server.prependListener('connect', screen);
}

/** What was wrong with the request's Proxy-Authorization, if screening set it aside. */
export function authorizationProblemOf(request: http.IncomingMessage): string | undefined {
  return problems.get(request);
}
