// In-memory stand-ins for reg, networksetup, gsettings and kreadconfig/kwriteconfig:
// each keeps the platform's settings, answers in the real tool's output format,
// and records every command, so tests check both the exact commands and the end state.
import type { CommandRunner } from '../../../../../electron/core/system-proxy/command-runner.ts';

export interface FakePlatform {
  run: CommandRunner;
  commands: string[][];
}

function recording(answer: (command: string, args: string[]) => string): FakePlatform {
  const commands: string[][] = [];
  return {
    commands,
    run: async (command, args) => {
      commands.push([command, ...args]);
      return answer(command, [...args]);
    },
  };
}

/** HKCU's Internet Settings key: name → [type, data]. */
export function fakeRegistry(values: Record<string, [string, string]>) {
  const platform = recording((command, args) => {
    if (command === 'powershell.exe') return '';
    const [verb, , , name] = args;
    if (verb === 'query') {
      const lines = Object.entries(values).map(([n, [type, data]]) => `    ${n}    ${type}    ${data}`.trimEnd());
      return `\r\nHKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\r\n${lines.join('\r\n')}\r\n`;
    }
    if (verb === 'add') {
      const type = args[5]!;
      const data = args[7]!;
      values[name!] = [type, type === 'REG_DWORD' ? `0x${Number(data).toString(16)}` : data];
    } else if (verb === 'delete') {
      if (!(name! in values))
        throw new Error('ERROR: The system was unable to find the specified registry key or value.');
      delete values[name!];
    }
    return 'The operation completed successfully.\r\n';
  });
  return { ...platform, values };
}

interface MacProxy {
  enabled: boolean;
  server: string;
  port: number;
}

/** networksetup over services; a service named with a leading * is disabled. */
export function fakeNetworksetup(
  services: Record<
    string,
    { web: MacProxy; secureweb: MacProxy; socks: MacProxy; bypass: string[]; pac: { url: string; enabled: boolean } }
  >,
) {
  const verbs = { webproxy: 'web', securewebproxy: 'secureweb', socksfirewallproxy: 'socks' } as const;
  const platform = recording((_command, [verb, service, ...rest]) => {
    if (verb === '-listallnetworkservices')
      return `An asterisk (*) denotes that a network service is disabled.\n${Object.keys(services).join('\n')}\n`;
    const settings = services[service!]!;
    if (verb === '-getproxybypassdomains')
      return settings.bypass.length
        ? `${settings.bypass.join('\n')}\n`
        : `There aren't any bypass domains set on ${service}.\n`;
    if (verb === '-getautoproxyurl')
      return `URL: ${settings.pac.url || '(null)'}\nEnabled: ${settings.pac.enabled ? 'Yes' : 'No'}\n`;
    if (verb === '-setautoproxystate') {
      settings.pac.enabled = rest[0] === 'on';
      return '';
    }
    if (verb === '-setproxybypassdomains') {
      settings.bypass = rest[0] === 'Empty' ? [] : rest;
      return '';
    }
    const match = /^-(get|set)(\w+?)(state)?$/.exec(verb!)!;
    const proxy = settings[verbs[match[2] as keyof typeof verbs]];
    if (match[1] === 'get')
      return `Enabled: ${proxy.enabled ? 'Yes' : 'No'}\nServer: ${proxy.server}\nPort: ${proxy.port}\nAuthenticated Proxy Enabled: 0\n`;
    if (match[3]) proxy.enabled = rest[0] === 'on';
    else Object.assign(proxy, { server: rest[0], port: Number(rest[1]), enabled: true });
    return '';
  });
  return { ...platform, services };
}

/** gsettings over "schema key" → GVariant text; reset falls back to the given defaults. */
export function fakeGsettings(values: Record<string, string>) {
  const defaults = { ...values };
  const platform = recording((_command, [verb, schema, key, value]) => {
    const name = `${schema} ${key}`;
    if (verb === 'get') return `${values[name]}\n`;
    if (verb === 'set') values[name] = value!;
    if (verb === 'reset') values[name] = defaults[name]!;
    return '';
  });
  return { ...platform, values };
}

/** kioslaverc's [Proxy Settings] group: a missing key reads as an empty line, as kreadconfig prints it. */
export function fakeKconfig(values: Record<string, string>) {
  const platform = recording((command, args) => {
    if (command === 'dbus-send') return '';
    const key = args[args.indexOf('--key') + 1]!;
    const value = args[args.indexOf('--key') + 2];
    if (command.startsWith('kreadconfig')) return `${values[key] ?? ''}\n`;
    if (value === '--delete') delete values[key];
    else values[key] = value!;
    return '';
  });
  return { ...platform, values };
}
