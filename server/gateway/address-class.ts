import ipaddr from 'ipaddr.js';

/**
 * `public`, or the name of the special-purpose range an address falls in
 * (ipaddr.js's names: `loopback`, `private`, `linkLocal`, `uniqueLocal`,
 * `carrierGradeNat`, `reserved`, `multicast`…).
 */
export type AddressClass = string;

export const PUBLIC = 'public';

// IPv6 hands out global unicast from 2000::/3 only; anything else ipaddr.js has no
// name for (IPv4-compatible ::a.b.c.d included) is unassigned or deprecated.
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3');
// The well-known NAT64 prefix (RFC 6052): the last 32 bits are the IPv4 address reached.
const NAT64 = ipaddr.IPv6.parseCIDR('64:ff9b::/96');

/** The IPv4 address an IPv6 one reaches in the end (mapped, NAT64, 6to4), if it names one. */
export function embeddedIpv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  if (address.isIPv4MappedAddress()) return address.toIPv4Address();
  const bytes = address.toByteArray();
  if (address.match(NAT64)) return new ipaddr.IPv4(bytes.slice(12, 16));
  if (address.range() === '6to4') return new ipaddr.IPv4(bytes.slice(2, 6));
  return undefined;
}

function ipv4Class(address: ipaddr.IPv4): AddressClass {
  const range = address.range();
  return range === 'unicast' ? PUBLIC : range;
}

/**
 * Classifies an IP address (any spelling ipaddr.js reads: dotted, decimal, hex,
 * octal, short IPv4 forms; IPv6 with or without an embedded IPv4). Only `public`
 * addresses are destinations the gateway's direct exit may connect to; an IPv6
 * address that carries an IPv4 one is judged by the IPv4 address it reaches.
 */
export function addressClassOf(text: string): AddressClass {
  const address = ipaddr.parse(text);
  if (address.kind() === 'ipv4') return ipv4Class(address as ipaddr.IPv4);
  const v6 = address as ipaddr.IPv6;
  const inner = embeddedIpv4(v6);
  if (inner) return ipv4Class(inner);
  const range = v6.range();
  if (range !== 'unicast') return range;
  return v6.match(GLOBAL_UNICAST_V6) ? PUBLIC : 'reserved';
}
