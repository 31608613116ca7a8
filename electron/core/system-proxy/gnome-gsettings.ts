import type { CommandRunner } from './command-runner.ts';
import { LOCAL_NAMES, LOCAL_NETWORKS } from './local-networks.ts';
import type { ProxyAddress, ProxyValues, SystemProxyAdapter } from './proxy-values.ts';

const PROXY = 'org.gnome.system.proxy';
const PROTOCOLS = ['http', 'https', 'socks'] as const;

/** Every key we change, as "schema key"; values are gsettings' own GVariant text ('manual', 8899, ['localhost']). */
export const GNOME_KEYS = [
  `${PROXY} mode`,
  `${PROXY} ignore-hosts`,
  ...PROTOCOLS.flatMap((protocol) => [`${PROXY}.${protocol} host`, `${PROXY}.${protocol} port`]),
];

const quoted = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/**
 * GNOME's proxy (and that of desktops sharing its settings: Cinnamon, Budgie,
 * Unity, Pantheon) with `gsettings`: mode manual, HTTP, HTTPS and SOCKS at the
 * local proxy. Apps following GNOME's settings pick up a change by themselves.
 */
export class GnomeGsettings implements SystemProxyAdapter {
  readonly desktop = 'GNOME';

  constructor(private readonly run: CommandRunner) {}

  async read(): Promise<ProxyValues> {
    const values: ProxyValues = {};
    for (const name of GNOME_KEYS) {
      const [schema, key] = name.split(' ') as [string, string];
      values[name] = (await this.run('gsettings', ['get', schema, key])).trim();
    }
    return values;
  }

  target(address: ProxyAddress): ProxyValues {
    const ignore = [...LOCAL_NAMES, ...LOCAL_NETWORKS].map(quoted).join(', ');
    return {
      [`${PROXY} mode`]: quoted('manual'),
      [`${PROXY} ignore-hosts`]: `[${ignore}]`,
      ...Object.fromEntries(
        PROTOCOLS.flatMap((protocol) => [
          [`${PROXY}.${protocol} host`, quoted(address.host)],
          [`${PROXY}.${protocol} port`, String(address.port)],
        ]),
      ),
    };
  }

  async write(values: ProxyValues): Promise<void> {
    // The mode last when switching on and first when switching off, so no app ever sees "manual" with half the hosts.
    const names = Object.keys(values).sort((a, b) => Number(a.endsWith(' mode')) - Number(b.endsWith(' mode')));
    if (values[`${PROXY} mode`] !== quoted('manual')) names.reverse();
    for (const name of names) {
      const [schema, key] = name.split(' ') as [string, string];
      const value = values[name];
      if (value === null || value === undefined) await this.run('gsettings', ['reset', schema, key]);
      else await this.run('gsettings', ['set', schema, key, value]);
    }
  }
}
