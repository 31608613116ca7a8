import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { RequestError } from 'proxy-chain';
import { GATEWAY_REFUSAL_HEADER } from '../../shared/api/gateway.ts';
import type { EgressPolicy, Resolution } from './egress-policy.ts';

export interface EgressLog {
  warn(details: object, message: string): void;
}

/**
 * A resolver that answers from one resolution already made and checked, so
 * the address connected to is the address judged: a name cannot resolve to a
 * public address for the check and to loopback for the connect (DNS rebinding).
 * A failed resolution is replayed, so the connect fails as it always did.
 */
export function pinnedLookup(resolution: Exclude<Resolution, { permitted: false }>): LookupFunction {
  return (_hostname, options, callback) => {
    process.nextTick(() => {
      if (resolution.permitted === 'unresolved') return callback(resolution.error, '', 0);
      const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
      const fitting = family ? resolution.addresses.filter((a) => a.family === family) : resolution.addresses;
      const first: LookupAddress | undefined = fitting[0];
      if (!first) {
        const error = Object.assign(new Error(`no IPv${family} address permitted`), { code: 'ENOTFOUND' });
        return callback(error, '', 0);
      }
      if (options.all) return callback(null, fitting);
      callback(null, first.address, first.family);
    });
  };
}

// Every refusal up to this many per session is logged; after that only the 16th, 32nd,
// 64th…, so a client scanning the network cannot flood the log (the count still says how many).
const LOGGED_IN_FULL = 8;
const worthLogging = (count: number) => count <= LOGGED_IN_FULL || (count & (count - 1)) === 0;

/**
 * The egress policy at the direct exit: each connection's destination is
 * resolved once, refused with 403 `destination_forbidden` when no address it
 * names is permitted, and refusals are counted per session and logged with the count.
 */
export class DirectEgress {
  readonly #policy: EgressPolicy;
  readonly #log: EgressLog;
  readonly #refusals = new Map<string, number>();

  constructor(policy: EgressPolicy, log: EgressLog) {
    this.#policy = policy;
    this.#log = log;
  }

  /** The lookup to connect with; throws proxy-chain's RequestError (403) for a forbidden destination. */
  async lookupFor(sessionId: string, hostname: string, port: number): Promise<LookupFunction> {
    const resolution = await this.#policy.resolve(hostname);
    if (resolution.permitted !== false) return pinnedLookup(resolution);
    const refusals = (this.#refusals.get(sessionId) ?? 0) + 1;
    this.#refusals.set(sessionId, refusals);
    const { address, addressClass } = resolution;
    if (worthLogging(refusals)) {
      this.#log.warn(
        { sessionId, destination: `${hostname}:${port}`, address, addressClass, refusals },
        'destination forbidden',
      );
    }
    // The client hears neither the address nor its class: what a name inside the network resolves to is not theirs to learn.
    throw new RequestError(
      `Atlantic Proxy does not connect to ${hostname}: only public internet addresses are reachable.`,
      403,
      { [GATEWAY_REFUSAL_HEADER]: 'destination_forbidden' },
    );
  }

  /** Destinations refused to this session so far (by this gateway). */
  refusalsOf(sessionId: string): number {
    return this.#refusals.get(sessionId) ?? 0;
  }

  forget(sessionId: string): void {
    this.#refusals.delete(sessionId);
  }
}
