import type { CommandRunner } from './command-runner.ts';
import { LOCAL_NAMES, LOCAL_NETWORKS } from './local-networks.ts';
import type { ProxyAddress, ProxyValues, SystemProxyAdapter } from './proxy-values.ts';

const GROUP = ['--file', 'kioslaverc', '--group', 'Proxy Settings'];
/** ProxyType 1 is "use manually specified proxy configuration"; ReversedException false makes NoProxyFor a bypass list. */
const KEYS = ['ProxyType', 'httpProxy', 'httpsProxy', 'socksProxy', 'NoProxyFor', 'ReversedException'] as const;

/**
 * KDE Plasma's proxy in kioslaverc, with kreadconfig/kwriteconfig (5 or 6,
 * matching the Plasma version), then the reparse notice KIO's apps listen
 * for. A key that was absent reads as null and is deleted again on restore.
 */
export class KdeKioslaverc implements SystemProxyAdapter {
  readonly desktop = 'KDE Plasma';

  constructor(
    private readonly run: CommandRunner,
    private readonly plasma: 5 | 6,
  ) {}

  async read(): Promise<ProxyValues> {
    const values: ProxyValues = {};
    for (const key of KEYS) {
      const value = (await this.run(`kreadconfig${this.plasma}`, [...GROUP, '--key', key])).replace(/\r?\n$/, '');
      values[key] = value === '' ? null : value;
    }
    return values;
  }

  target(address: ProxyAddress): ProxyValues {
    // KDE writes a proxy as "scheme://host port", with a space.
    const at = (scheme: string) => `${scheme}://${address.host} ${address.port}`;
    return {
      ProxyType: '1',
      httpProxy: at('http'),
      httpsProxy: at('http'),
      socksProxy: at('socks'),
      NoProxyFor: [...LOCAL_NAMES, ...LOCAL_NETWORKS].join(','),
      ReversedException: 'false',
    };
  }

  async write(values: ProxyValues): Promise<void> {
    for (const key of KEYS) {
      if (!(key in values)) continue;
      const value = values[key];
      const args = value === null || value === undefined ? ['--key', key, '--delete'] : ['--key', key, value];
      await this.run(`kwriteconfig${this.plasma}`, [...GROUP, ...args]);
    }
    // Running KIO apps reread kioslaverc on this signal; without a session bus there is nobody to tell.
    await this.run('dbus-send', [
      '--type=signal',
      '/KIO/Scheduler',
      'org.kde.KIO.Scheduler.reparseSlaveConfiguration',
      'string:',
    ]).catch(() => undefined);
  }
}
