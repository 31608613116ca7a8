import { describe, expect, it } from 'vitest';
import { addressClassOf, PUBLIC } from '../../../server/gateway/address-class.ts';

// [address, class]: public unicast of both families is the only thing the direct exit may reach.
const PUBLIC_ADDRESSES: string[] = [
  '8.8.8.8',
  '1.1.1.1',
  '93.184.216.34',
  '100.63.255.255', // just below CGNAT
  '100.128.0.0', // just above it
  '172.15.255.255', // just outside 172.16/12
  '172.32.0.1',
  '192.169.0.1',
  '169.253.255.255',
  '223.255.255.254',
  '2606:4700:4700::1111',
  '2001:4860:4860::8888',
  '2a00:1450:4001:82b::200e',
  '::ffff:8.8.8.8', // mapped, reaching a public IPv4
  '64:ff9b::808:808', // NAT64 of 8.8.8.8
  '2002:808:808::1', // 6to4 of 8.8.8.8
];

const FORBIDDEN: [string, string][] = [
  // IPv4
  ['127.0.0.1', 'loopback'],
  ['127.0.0.2', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'unspecified'],
  ['10.0.0.1', 'private'],
  ['10.255.255.255', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.1.1', 'private'],
  ['100.64.0.1', 'carrierGradeNat'],
  ['100.127.255.254', 'carrierGradeNat'],
  ['169.254.169.254', 'linkLocal'], // cloud metadata
  ['169.254.0.1', 'linkLocal'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['255.255.255.255', 'broadcast'],
  ['240.0.0.1', 'reserved'],
  ['192.0.0.8', 'reserved'], // IETF protocol assignments
  ['192.0.2.10', 'reserved'], // TEST-NET-1
  ['198.51.100.7', 'reserved'], // TEST-NET-2
  ['203.0.113.9', 'reserved'], // TEST-NET-3
  ['198.18.0.1', 'reserved'], // benchmarking
  // numeric spellings of 127.0.0.1
  ['2130706433', 'loopback'],
  ['0x7f000001', 'loopback'],
  ['0177.0.0.1', 'loopback'],
  ['0x7f.0.0.1', 'loopback'],
  ['127.1', 'loopback'],
  ['127.0.1', 'loopback'],
  ['012.0.0.1', 'private'], // octal 10.0.0.1
  // IPv6
  ['::1', 'loopback'],
  ['::', 'unspecified'],
  ['fe80::1', 'linkLocal'],
  ['fe80::1%eth0', 'linkLocal'],
  ['febf:ffff::1', 'linkLocal'],
  ['fc00::1', 'uniqueLocal'],
  ['fd12:3456:789a::1', 'uniqueLocal'],
  ['ff02::1', 'multicast'],
  ['ff05::1:3', 'multicast'],
  ['2001:db8::1', 'reserved'], // documentation
  ['2001::1', 'teredo'],
  ['fec0::1', 'deprecatedSiteLocal'],
  ['100::1', 'discard'],
  ['::7f00:1', 'reserved'], // IPv4-compatible (deprecated), spelled in hex
  ['4000::1', 'reserved'], // outside 2000::/3: unassigned
  // IPv4 inside IPv6: judged by the IPv4 address reached
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['0:0:0:0:0:ffff:7f00:1', 'loopback'],
  ['::ffff:10.0.0.1', 'private'],
  ['::ffff:169.254.169.254', 'linkLocal'],
  ['::127.0.0.1', 'loopback'], // IPv4-compatible, dotted
  ['64:ff9b::7f00:1', 'loopback'], // NAT64
  ['64:ff9b::a9fe:a9fe', 'linkLocal'],
  ['64:ff9b::c0a8:101', 'private'],
  ['64:ff9b:1::a00:1', 'rfc6052'], // local-use NAT64 prefix
  ['2002:7f00:1::1', 'loopback'], // 6to4
  ['2002:a00:1::', 'private'],
  ['2002:a9fe:a9fe::1', 'linkLocal'],
];

describe('addressClassOf', () => {
  it.each(PUBLIC_ADDRESSES)('%s is public', (address) => {
    expect(addressClassOf(address)).toBe(PUBLIC);
  });

  it.each(FORBIDDEN)('%s is %s, not public', (address, addressClass) => {
    expect(addressClassOf(address)).toBe(addressClass);
  });

  it('throws on text that is no address (names are resolved before they are classified)', () => {
    for (const text of ['localhost', 'example.com', '', '1.2.3.4.5', '::g', '256.0.0.1']) {
      expect(() => addressClassOf(text)).toThrow();
    }
  });
});
