import type { CommandRunner } from './command-runner.ts';
import { wininetBypass } from './local-networks.ts';
import type { ProxyAddress, ProxyValues, SystemProxyAdapter } from './proxy-values.ts';

export const INTERNET_SETTINGS = 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings';
// A PAC address (AutoConfigURL) wins over the manual proxy, so it is set aside while connected.
const TYPES = {
  ProxyEnable: 'REG_DWORD',
  ProxyServer: 'REG_SZ',
  ProxyOverride: 'REG_SZ',
  AutoConfigURL: 'REG_SZ',
} as const;
type Name = keyof typeof TYPES;
const NAMES = Object.keys(TYPES) as Name[];

/**
 * Tells running apps (browsers, the WinINet and WinHTTP users) that the
 * settings changed: INTERNET_OPTION_SETTINGS_CHANGED (39), then
 * INTERNET_OPTION_REFRESH (37). Without it they keep the old proxy until restarted.
 */
export const REFRESH_SCRIPT = [
  '$s = \'[DllImport("wininet.dll")] public static extern bool InternetSetOption(IntPtr h, int o, IntPtr b, int l);\'',
  '$t = Add-Type -MemberDefinition $s -Name WinInet -Namespace Atlantic -PassThru',
  '[void]$t::InternetSetOption([IntPtr]::Zero, 39, [IntPtr]::Zero, 0)',
  '[void]$t::InternetSetOption([IntPtr]::Zero, 37, [IntPtr]::Zero, 0)',
].join('; ');

/**
 * The per-user WinINet proxy (what Settings › Network › Proxy shows), through
 * `reg` and one PowerShell refresh; a value set to null is deleted.
 */
export class WindowsWinInet implements SystemProxyAdapter {
  readonly desktop = 'Windows';

  constructor(private readonly run: CommandRunner) {}

  async read(): Promise<ProxyValues> {
    const output = await this.run('reg', ['query', INTERNET_SETTINGS]);
    const values: ProxyValues = Object.fromEntries(NAMES.map((name) => [name, null]));
    for (const line of output.split(/\r?\n/)) {
      // "    ProxyServer    REG_SZ    127.0.0.1:8899" (an empty REG_SZ has nothing after its type)
      const match = /^\s+(\S+)\s+(REG_\w+)(?:\s+(.*))?$/.exec(line);
      if (!match || !NAMES.includes(match[1] as Name)) continue;
      const data = match[3]?.trim() ?? '';
      values[match[1]!] = match[2] === 'REG_DWORD' ? String(Number.parseInt(data, 16)) : data;
    }
    return values;
  }

  target(address: ProxyAddress): ProxyValues {
    return {
      ProxyEnable: '1',
      ProxyServer: `${address.host}:${address.port}`,
      ProxyOverride: wininetBypass(),
      AutoConfigURL: null,
    };
  }

  async write(values: ProxyValues): Promise<void> {
    for (const name of NAMES) {
      if (!(name in values)) continue;
      const value = values[name];
      if (value === null || value === undefined) {
        await this.run('reg', ['delete', INTERNET_SETTINGS, '/v', name, '/f']).catch(() => undefined);
      } else {
        await this.run('reg', ['add', INTERNET_SETTINGS, '/v', name, '/t', TYPES[name], '/d', value, '/f']);
      }
    }
    await this.run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', REFRESH_SCRIPT]);
  }
}
