import { gatewayPasswordMatches, hashGatewayPassword } from '../sessions/gateway-credentials.ts';
import type { Targeting } from '../../shared/targeting.ts';

interface Admitted<T> {
  passwordHash: Buffer;
  admitted: T;
  expiresAt: number;
}

/**
 * Sessions this gateway admitted recently, so the many connections one client
 * opens (a browser opens dozens) need one database read, not one each. Only
 * successes are kept, under the password's hash; an entry goes the moment its
 * session is announced ended, and the periodic sweep re-checks every cached
 * session, so a missed announcement is caught within one sweep. `T`: what an
 * admission tells about its session (its targeting, and how it picks its exit identity).
 */
export class AdmissionCache<T = Targeting> {
  readonly #entries = new Map<string, Admitted<T>>();
  readonly #ttlMs: number;

  constructor(ttlMs: number) {
    this.#ttlMs = ttlMs;
  }

  /** What the admission said when this session id and password were admitted lately. */
  get(sessionId: string, password: string, now: number): T | undefined {
    const entry = this.#entries.get(sessionId);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.#entries.delete(sessionId);
      return undefined;
    }
    return gatewayPasswordMatches(password, entry.passwordHash) ? entry.admitted : undefined;
  }

  remember(sessionId: string, password: string, admitted: T, now: number): void {
    const passwordHash = hashGatewayPassword(password);
    this.#entries.set(sessionId, { passwordHash, admitted, expiresAt: now + this.#ttlMs });
  }

  forget(sessionId: string): void {
    this.#entries.delete(sessionId);
  }

  sessions(): string[] {
    return [...this.#entries.keys()];
  }
}
