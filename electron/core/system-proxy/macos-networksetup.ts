import type { CommandRunner } from './command-runner.ts';
import { macosBypass } from './local-networks.ts';
import type { ProxyAddress, ProxyValues, SystemProxyAdapter } from './proxy-values.ts';

/** networksetup's three proxies we set, by the word in its get/set/state verbs. */
const PROXIES = { web: 'webproxy', secureweb: 'securewebproxy', socks: 'socksfirewallproxy' } as const;
type Kind = keyof typeof PROXIES | 'bypass' | 'autoproxy';

/** A value's name: the kind, then the network service ("web:Wi-Fi"); service names may hold a colon, kinds don't. */
const key = (kind: Kind, service: string) => `${kind}:${service}`;

/**
 * The web, secure web and SOCKS proxies of every enabled network service
 * (Wi-Fi, Ethernet, a USB modem…), with `networksetup`. A proxy reads as
 * "on host:port" or "off host:port"; the bypass list as its domains, one a line;
 * a PAC file ("autoproxy", which would win over them) as on or off, switched
 * off while connected with its address left alone.
 */
export class MacosNetworksetup implements SystemProxyAdapter {
  readonly desktop = 'macOS';

  constructor(private readonly run: CommandRunner) {}

  async services(): Promise<string[]> {
    const output = await this.run('networksetup', ['-listallnetworkservices']);
    // The first line explains that an asterisk marks a disabled service.
    return output
      .split(/\r?\n/)
      .slice(1)
      .filter((line) => line.trim() !== '' && !line.startsWith('*'));
  }

  async read(): Promise<ProxyValues> {
    const values: ProxyValues = {};
    for (const service of await this.services()) {
      for (const [kind, verb] of Object.entries(PROXIES)) {
        const fields = parseFields(await this.run('networksetup', [`-get${verb}`, service]));
        const enabled = fields.Enabled === 'Yes' ? 'on' : 'off';
        values[key(kind as Kind, service)] = `${enabled} ${fields.Server ?? ''}:${fields.Port ?? '0'}`;
      }
      const pac = parseFields(await this.run('networksetup', ['-getautoproxyurl', service]));
      values[key('autoproxy', service)] = pac.Enabled === 'Yes' ? 'on' : 'off';
      const bypass = await this.run('networksetup', ['-getproxybypassdomains', service]);
      values[key('bypass', service)] = /There aren't any/.test(bypass) ? '' : bypass.trim();
    }
    return values;
  }

  target(address: ProxyAddress, current: ProxyValues): ProxyValues {
    const on = `on ${address.host}:${address.port}`;
    const services = Object.keys(current)
      .filter((name) => name.startsWith('bypass:'))
      .map((name) => name.slice('bypass:'.length));
    return Object.fromEntries(
      services.flatMap((service) => [
        ...Object.keys(PROXIES).map((kind) => [key(kind as Kind, service), on]),
        [key('autoproxy', service), 'off'],
        [key('bypass', service), macosBypass().join('\n')],
      ]),
    );
  }

  async write(values: ProxyValues): Promise<void> {
    for (const [name, value] of Object.entries(values)) {
      const split = name.indexOf(':');
      const kind = name.slice(0, split) as Kind;
      const service = name.slice(split + 1);
      if (kind === 'autoproxy') {
        await this.run('networksetup', ['-setautoproxystate', service, value === 'on' ? 'on' : 'off']);
        continue;
      }
      if (kind === 'bypass') {
        const domains = value ? value.split('\n') : ['Empty'];
        await this.run('networksetup', ['-setproxybypassdomains', service, ...domains]);
        continue;
      }
      const match = /^(on|off) (.*):(\d+)$/.exec(value ?? 'off :0');
      if (!match) continue;
      const [, state, server, port] = match;
      const verb = PROXIES[kind];
      // Setting the server turns the proxy on, so the state goes last; an empty server is only switched off.
      if (server) await this.run('networksetup', [`-set${verb}`, service, server, port!]);
      await this.run('networksetup', [`-set${verb}state`, service, state!]);
    }
  }
}

function parseFields(output: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of output.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0) fields[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return fields;
}
