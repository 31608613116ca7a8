import dns, { type LookupAddress } from 'node:dns';
import { networkInterfaces } from 'node:os';
import ipaddr from 'ipaddr.js';
import { addressClassOf, embeddedIpv4, PUBLIC, type AddressClass } from './address-class.ts';

/** CIDR ranges an operator opens to the direct exit beyond the public internet (GATEWAY_ALLOW_CIDRS). */
export type AllowedCidrs = readonly [ipaddr.IPv4 | ipaddr.IPv6, number][];

/** Parses a comma-separated CIDR list (both families); throws naming the first entry that is not one. */
export function parseAllowedCidrs(text: string): AllowedCidrs {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries.map((entry) => {
    // Four dotted decimals only: an operator's list is no place for 0x7f.1 spellings.
    if (!ipaddr.IPv4.isValidCIDRFourPartDecimal(entry) && !ipaddr.IPv6.isValidCIDR(entry)) {
      throw new Error(
        `GATEWAY_ALLOW_CIDRS: "${entry}" is not a CIDR range; write e.g. 10.0.0.0/8, 192.168.1.20/32 or fd00::/8`,
      );
    }
    return ipaddr.parseCIDR(entry);
  });
}

export type Verdict = { permitted: true } | { permitted: false; addressClass: AddressClass };

/** A destination name resolved once: the addresses the exit may connect to, or why none. */
export type Resolution =
  | { permitted: true; addresses: LookupAddress[] }
  | { permitted: false; address: string; addressClass: AddressClass }
  | { permitted: 'unresolved'; error: NodeJS.ErrnoException };

const notFound = (host: string): NodeJS.ErrnoException =>
  Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND', hostname: host });

type Resolve = (hostname: string) => Promise<LookupAddress[]>;

// As net.connect asks the resolver: every address, only families this host can reach.
const systemResolve: Resolve = (hostname) => dns.promises.lookup(hostname, { all: true, hints: dns.ADDRCONFIG });

/** One spelling per address, IPv4-mapped IPv6 as its IPv4, so addresses compare as text. */
const canonical = (address: string) => ipaddr.process(address).toString();

/** The addresses of this machine's interfaces, as the gateway starts. */
function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((addresses) => (addresses ?? []).map((a) => a.address));
}

export interface EgressPolicyOptions {
  /** Resolves a name to its addresses (the system resolver, as net.connect uses it). */
  resolve?: Resolve;
  /** This machine's own addresses (its interfaces' by default). */
  ownAddresses?: readonly string[];
}

/**
 * Which destinations the gateway's direct exit may connect to: public unicast
 * addresses, plus the operator's allowed ranges. Judged on the addresses a
 * name resolves to, so a name that points at loopback is refused like 127.0.0.1.
 */
export class EgressPolicy {
  readonly #allowed: AllowedCidrs;
  readonly #resolve: Resolve;
  readonly #own: ReadonlySet<string>;

  constructor(allowed: AllowedCidrs, options: EgressPolicyOptions = {}) {
    this.#allowed = allowed;
    this.#resolve = options.resolve ?? systemResolve;
    this.#own = new Set((options.ownAddresses ?? interfaceAddresses()).map(canonical));
  }

  verdictOf(address: string): Verdict {
    if (this.#isAllowed(address)) return { permitted: true };
    const addressClass = addressClassOf(address);
    if (addressClass !== PUBLIC) return { permitted: false, addressClass };
    // A public address of the gateway's own host reaches whatever listens on all its interfaces.
    if (this.#own.has(canonical(address))) return { permitted: false, addressClass: 'thisMachine' };
    return { permitted: true };
  }

  /** Resolves a hostname (an IP literal in any spelling needs no resolver) and keeps the permitted addresses. */
  async resolve(hostname: string): Promise<Resolution> {
    const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
    let addresses: LookupAddress[];
    if (ipaddr.isValid(host)) {
      const literal = ipaddr.parse(host);
      addresses = [{ address: literal.toString(), family: literal.kind() === 'ipv4' ? 4 : 6 }];
    } else {
      try {
        addresses = await this.#resolve(host);
      } catch (error) {
        return { permitted: 'unresolved', error: error as NodeJS.ErrnoException };
      }
    }
    if (addresses.length === 0) return { permitted: 'unresolved', error: notFound(host) };
    const permitted = addresses.filter(({ address }) => this.verdictOf(address).permitted);
    if (permitted.length > 0) return { permitted: true, addresses: permitted };
    const first = addresses[0]!.address;
    const verdict = this.verdictOf(first);
    return { permitted: false, address: first, addressClass: verdict.permitted ? PUBLIC : verdict.addressClass };
  }

  #isAllowed(text: string): boolean {
    if (this.#allowed.length === 0) return false;
    const address = ipaddr.parse(text);
    const inner = address.kind() === 'ipv6' ? embeddedIpv4(address as ipaddr.IPv6) : undefined;
    return this.#allowed.some(
      ([network, bits]) =>
        (address.kind() === network.kind() && address.match(network, bits)) ||
        (inner !== undefined && network.kind() === 'ipv4' && inner.match(network, bits)),
    );
  }
}
