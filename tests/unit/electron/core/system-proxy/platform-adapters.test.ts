import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GnomeGsettings } from '../../../../../electron/core/system-proxy/gnome-gsettings.ts';
import { KdeKioslaverc } from '../../../../../electron/core/system-proxy/kde-kioslaverc.ts';
import { MacosNetworksetup } from '../../../../../electron/core/system-proxy/macos-networksetup.ts';
import { ProxyJournal } from '../../../../../electron/core/system-proxy/proxy-journal.ts';
import type { SystemProxyAdapter } from '../../../../../electron/core/system-proxy/proxy-values.ts';
import { SystemProxy } from '../../../../../electron/core/system-proxy/system-proxy.ts';
import {
  INTERNET_SETTINGS,
  REFRESH_SCRIPT,
  WindowsWinInet,
} from '../../../../../electron/core/system-proxy/windows-wininet.ts';
import { fakeGsettings, fakeKconfig, fakeNetworksetup, fakeRegistry, type FakePlatform } from './fake-platforms.ts';

const LOCAL = { host: '127.0.0.1', port: 8899 };

/** Points the system at the local proxy, then back, returning the commands of each step and the journal in between. */
async function roundTrip(adapter: SystemProxyAdapter, platform: FakePlatform) {
  const journal = new ProxyJournal(join(mkdtempSync(join(tmpdir(), 'atlantic-journal-')), 'system-proxy.json'));
  const proxy = new SystemProxy({ adapter, journal, onError: (error) => expect.fail(String(error)) });
  await proxy.sync(LOCAL);
  const pointed = platform.commands.splice(0);
  const written = JSON.parse(readFileSync(journal.file, 'utf8'));
  const statusWhileOn = proxy.status;
  await proxy.sync(null);
  const restored = platform.commands.splice(0);
  return { pointed, restored, written, statusWhileOn, journalAfter: journal.read(), statusAfter: proxy.status };
}

describe('Windows: per-user WinINet in the registry', () => {
  it('writes ProxyEnable, ProxyServer and ProxyOverride, sets a PAC address aside, refreshes, and restores each value (deleting the one that was absent)', async () => {
    const before = {
      ProxyEnable: ['REG_DWORD', '0x0'],
      ProxyServer: ['REG_SZ', 'corp.example:3128'],
      AutoDetect: ['REG_DWORD', '0x1'],
      AutoConfigURL: ['REG_SZ', 'http://wpad.corp.example/proxy.pac'],
    } as Record<string, [string, string]>;
    const registry = fakeRegistry(structuredClone(before));
    const result = await roundTrip(new WindowsWinInet(registry.run), registry);
    const bypass = [
      'localhost',
      '127.*',
      '10.*',
      ...Array.from({ length: 16 }, (_, i) => `172.${16 + i}.*`),
      '192.168.*',
      '169.254.*',
      '*.local',
      '<local>',
    ].join(';');
    expect(result.pointed).toEqual([
      ['reg', 'query', INTERNET_SETTINGS],
      ['reg', 'add', INTERNET_SETTINGS, '/v', 'ProxyEnable', '/t', 'REG_DWORD', '/d', '1', '/f'],
      ['reg', 'add', INTERNET_SETTINGS, '/v', 'ProxyServer', '/t', 'REG_SZ', '/d', '127.0.0.1:8899', '/f'],
      ['reg', 'add', INTERNET_SETTINGS, '/v', 'ProxyOverride', '/t', 'REG_SZ', '/d', bypass, '/f'],
      ['reg', 'delete', INTERNET_SETTINGS, '/v', 'AutoConfigURL', '/f'],
      ['powershell.exe', '-NoProfile', '-NonInteractive', '-Command', REFRESH_SCRIPT],
    ]);
    expect(REFRESH_SCRIPT).toMatch(
      /InternetSetOption\(\[IntPtr\]::Zero, 39,.*InternetSetOption\(\[IntPtr\]::Zero, 37,/,
    );
    expect(result.written.previous).toEqual({
      ProxyEnable: '0',
      ProxyServer: 'corp.example:3128',
      ProxyOverride: null,
      AutoConfigURL: 'http://wpad.corp.example/proxy.pac',
    });
    expect(result.statusWhileOn).toEqual({ state: 'on', desktop: 'Windows', message: null });
    expect(result.restored).toEqual([
      ['reg', 'query', INTERNET_SETTINGS],
      ['reg', 'add', INTERNET_SETTINGS, '/v', 'ProxyEnable', '/t', 'REG_DWORD', '/d', '0', '/f'],
      ['reg', 'add', INTERNET_SETTINGS, '/v', 'ProxyServer', '/t', 'REG_SZ', '/d', 'corp.example:3128', '/f'],
      ['reg', 'delete', INTERNET_SETTINGS, '/v', 'ProxyOverride', '/f'],
      [
        'reg',
        'add',
        INTERNET_SETTINGS,
        '/v',
        'AutoConfigURL',
        '/t',
        'REG_SZ',
        '/d',
        'http://wpad.corp.example/proxy.pac',
        '/f',
      ],
      ['powershell.exe', '-NoProfile', '-NonInteractive', '-Command', REFRESH_SCRIPT],
    ]);
    expect(registry.values).toEqual(before);
    expect(result.journalAfter).toBeNull();
    expect(result.statusAfter).toEqual({ state: 'off', desktop: 'Windows', message: null });
  });
});

describe('macOS: networksetup on every enabled network service', () => {
  it('sets web, secure web and SOCKS with the bypass list, a PAC file off, on enabled services only, and restores each', async () => {
    const off = (server = '', port = 0) => ({ enabled: false, server, port });
    const before = {
      'Wi-Fi': {
        web: off('old.example', 8080),
        secureweb: off(),
        socks: off(),
        bypass: ['*.corp'],
        pac: { url: 'http://wpad.corp.example/proxy.pac', enabled: true },
      },
      'USB: LAN': {
        web: { enabled: true, server: 'corp', port: 3128 },
        secureweb: off(),
        socks: off(),
        bypass: [],
        pac: { url: '', enabled: false },
      },
      '*Bluetooth PAN': { web: off(), secureweb: off(), socks: off(), bypass: [], pac: { url: '', enabled: false } },
    };
    const mac = fakeNetworksetup(structuredClone(before));
    const result = await roundTrip(new MacosNetworksetup(mac.run), mac);
    const reads = (service: string) => [
      ['networksetup', '-getwebproxy', service],
      ['networksetup', '-getsecurewebproxy', service],
      ['networksetup', '-getsocksfirewallproxy', service],
      ['networksetup', '-getautoproxyurl', service],
      ['networksetup', '-getproxybypassdomains', service],
    ];
    const bypass = [
      'localhost',
      '*.local',
      '127.0.0.0/8',
      '::1',
      '10.0.0.0/8',
      '172.16.0.0/12',
      '192.168.0.0/16',
      '169.254.0.0/16',
      'fe80::/10',
      'fc00::/7',
    ];
    const point = (service: string) => [
      ...['webproxy', 'securewebproxy', 'socksfirewallproxy'].flatMap((verb) => [
        ['networksetup', `-set${verb}`, service, '127.0.0.1', '8899'],
        ['networksetup', `-set${verb}state`, service, 'on'],
      ]),
      ['networksetup', '-setautoproxystate', service, 'off'],
      ['networksetup', '-setproxybypassdomains', service, ...bypass],
    ];
    expect(result.pointed).toEqual([
      ['networksetup', '-listallnetworkservices'],
      ...reads('Wi-Fi'),
      ...reads('USB: LAN'),
      ...point('Wi-Fi'),
      ...point('USB: LAN'),
    ]);
    expect(result.restored.slice(11)).toEqual([
      ['networksetup', '-setwebproxy', 'Wi-Fi', 'old.example', '8080'],
      ['networksetup', '-setwebproxystate', 'Wi-Fi', 'off'],
      ['networksetup', '-setsecurewebproxystate', 'Wi-Fi', 'off'],
      ['networksetup', '-setsocksfirewallproxystate', 'Wi-Fi', 'off'],
      ['networksetup', '-setautoproxystate', 'Wi-Fi', 'on'],
      ['networksetup', '-setproxybypassdomains', 'Wi-Fi', '*.corp'],
      ['networksetup', '-setwebproxy', 'USB: LAN', 'corp', '3128'],
      ['networksetup', '-setwebproxystate', 'USB: LAN', 'on'],
      ['networksetup', '-setsecurewebproxystate', 'USB: LAN', 'off'],
      ['networksetup', '-setsocksfirewallproxystate', 'USB: LAN', 'off'],
      ['networksetup', '-setproxybypassdomains', 'USB: LAN', 'Empty'],
    ]);
    // A restored proxy that was off keeps its old server: the fake turns it on when set, so off must follow.
    expect(mac.services).toEqual({
      ...before,
      'Wi-Fi': { ...before['Wi-Fi'], secureweb: off('127.0.0.1', 8899), socks: off('127.0.0.1', 8899) },
      'USB: LAN': { ...before['USB: LAN'], secureweb: off('127.0.0.1', 8899), socks: off('127.0.0.1', 8899) },
    });
  });
});

describe('GNOME: gsettings org.gnome.system.proxy', () => {
  it('sets manual mode, the three proxies and ignore-hosts (mode last), and restores every key (mode first)', async () => {
    const before = {
      'org.gnome.system.proxy mode': "'none'",
      'org.gnome.system.proxy ignore-hosts': "['localhost', '127.0.0.0/8', '::1']",
      'org.gnome.system.proxy.http host': "'old.example'",
      'org.gnome.system.proxy.http port': '3128',
      'org.gnome.system.proxy.https host': "''",
      'org.gnome.system.proxy.https port': '0',
      'org.gnome.system.proxy.socks host': "''",
      'org.gnome.system.proxy.socks port': '0',
    };
    const gnome = fakeGsettings({ ...before });
    const result = await roundTrip(new GnomeGsettings(gnome.run), gnome);
    const get = (key: string) => ['gsettings', 'get', ...key.split(' ')];
    expect(result.pointed).toEqual([
      ...Object.keys(before).map(get),
      [
        'gsettings',
        'set',
        'org.gnome.system.proxy',
        'ignore-hosts',
        "['localhost', '*.local', '127.0.0.0/8', '::1', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', 'fe80::/10', 'fc00::/7']",
      ],
      ['gsettings', 'set', 'org.gnome.system.proxy.http', 'host', "'127.0.0.1'"],
      ['gsettings', 'set', 'org.gnome.system.proxy.http', 'port', '8899'],
      ['gsettings', 'set', 'org.gnome.system.proxy.https', 'host', "'127.0.0.1'"],
      ['gsettings', 'set', 'org.gnome.system.proxy.https', 'port', '8899'],
      ['gsettings', 'set', 'org.gnome.system.proxy.socks', 'host', "'127.0.0.1'"],
      ['gsettings', 'set', 'org.gnome.system.proxy.socks', 'port', '8899'],
      ['gsettings', 'set', 'org.gnome.system.proxy', 'mode', "'manual'"],
    ]);
    expect(result.restored).toEqual([
      ...Object.keys(before).map(get),
      ['gsettings', 'set', 'org.gnome.system.proxy', 'mode', "'none'"],
      ['gsettings', 'set', 'org.gnome.system.proxy.socks', 'port', '0'],
      ['gsettings', 'set', 'org.gnome.system.proxy.socks', 'host', "''"],
      ['gsettings', 'set', 'org.gnome.system.proxy.https', 'port', '0'],
      ['gsettings', 'set', 'org.gnome.system.proxy.https', 'host', "''"],
      ['gsettings', 'set', 'org.gnome.system.proxy.http', 'port', '3128'],
      ['gsettings', 'set', 'org.gnome.system.proxy.http', 'host', "'old.example'"],
      ['gsettings', 'set', 'org.gnome.system.proxy', 'ignore-hosts', "['localhost', '127.0.0.0/8', '::1']"],
    ]);
    expect(gnome.values).toEqual(before);
  });
});

describe('KDE Plasma: kioslaverc', () => {
  it.each([5, 6] as const)(
    'Plasma %i: writes the proxy keys, tells KIO, and restores (deleting keys that were absent)',
    async (plasma) => {
      const before = { ProxyType: '0', httpProxy: 'http://old.example 3128' };
      const kde = fakeKconfig({ ...before });
      const result = await roundTrip(new KdeKioslaverc(kde.run, plasma), kde);
      const group = ['--file', 'kioslaverc', '--group', 'Proxy Settings'];
      const keys = ['ProxyType', 'httpProxy', 'httpsProxy', 'socksProxy', 'NoProxyFor', 'ReversedException'];
      const reads = keys.map((key) => [`kreadconfig${plasma}`, ...group, '--key', key]);
      const reparse = [
        'dbus-send',
        '--type=signal',
        '/KIO/Scheduler',
        'org.kde.KIO.Scheduler.reparseSlaveConfiguration',
        'string:',
      ];
      const write = (key: string, value: string) => [`kwriteconfig${plasma}`, ...group, '--key', key, value];
      expect(result.pointed).toEqual([
        ...reads,
        write('ProxyType', '1'),
        write('httpProxy', 'http://127.0.0.1 8899'),
        write('httpsProxy', 'http://127.0.0.1 8899'),
        write('socksProxy', 'socks://127.0.0.1 8899'),
        write(
          'NoProxyFor',
          'localhost,*.local,127.0.0.0/8,::1,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,169.254.0.0/16,fe80::/10,fc00::/7',
        ),
        write('ReversedException', 'false'),
        reparse,
      ]);
      expect(result.restored).toEqual([
        ...reads,
        write('ProxyType', '0'),
        write('httpProxy', 'http://old.example 3128'),
        write('httpsProxy', '--delete'),
        write('socksProxy', '--delete'),
        write('NoProxyFor', '--delete'),
        write('ReversedException', '--delete'),
        reparse,
      ]);
      expect(kde.values).toEqual(before);
      expect(result.statusAfter).toEqual({ state: 'off', desktop: 'KDE Plasma', message: null });
    },
  );
});
