/**
 * What never goes through the proxy: loopback (the proxy itself, local
 * services) and the local networks (the router, printers, a NAS), as CIDRs.
 * Each platform spells the list its own way from this one.
 */
export const LOCAL_NETWORKS = [
  '127.0.0.0/8',
  '::1',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '169.254.0.0/16',
  'fe80::/10',
  'fc00::/7',
] as const;

/** Host names that are always local. */
export const LOCAL_NAMES = ['localhost', '*.local'] as const;

/** WinINet's ProxyOverride has wildcards, not CIDRs: 172.16/12 is sixteen of them. */
export function wininetBypass(): string {
  const private172 = Array.from({ length: 16 }, (_, i) => `172.${16 + i}.*`);
  return ['localhost', '127.*', '10.*', ...private172, '192.168.*', '169.254.*', '*.local', '<local>'].join(';');
}

/** macOS networksetup takes hosts, wildcards and CIDRs alike. */
export function macosBypass(): string[] {
  return [...LOCAL_NAMES, ...LOCAL_NETWORKS];
}
