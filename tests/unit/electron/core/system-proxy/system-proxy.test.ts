import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemProxyAdapter } from '../../../../../electron/core/system-proxy/desktop-adapter.ts';
import { GnomeGsettings } from '../../../../../electron/core/system-proxy/gnome-gsettings.ts';
import { ProxyJournal } from '../../../../../electron/core/system-proxy/proxy-journal.ts';
import { SystemProxy } from '../../../../../electron/core/system-proxy/system-proxy.ts';
import { fakeGsettings } from './fake-platforms.ts';

const LOCAL = { host: '127.0.0.1', port: 8899 };
const BEFORE = {
  'org.gnome.system.proxy mode': "'auto'",
  'org.gnome.system.proxy ignore-hosts': "['localhost']",
  'org.gnome.system.proxy.http host': "'corp.example'",
  'org.gnome.system.proxy.http port': '3128',
  'org.gnome.system.proxy.https host': "''",
  'org.gnome.system.proxy.https port': '0',
  'org.gnome.system.proxy.socks host': "''",
  'org.gnome.system.proxy.socks port': '0',
};

function gnome() {
  const platform = fakeGsettings({ ...BEFORE });
  const journal = new ProxyJournal(join(mkdtempSync(join(tmpdir(), 'atlantic-journal-')), 'system-proxy.json'));
  const errors: unknown[] = [];
  const make = () =>
    new SystemProxy({ adapter: new GnomeGsettings(platform.run), journal, onError: (e) => errors.push(e) });
  return { platform, journal, errors, make };
}

describe('SystemProxy: the journal and the user’s own changes', () => {
  it('a second point while on changes nothing; a restore while off changes nothing', async () => {
    const { platform, make } = gnome();
    const proxy = make();
    await proxy.sync(null);
    expect(platform.commands).toEqual([]);
    await proxy.sync(LOCAL);
    platform.commands.length = 0;
    await proxy.sync(LOCAL);
    expect(platform.commands).toEqual([]);
  });

  it('leaves settings the user changed while connected, drops the journal and says so', async () => {
    const { platform, journal, make } = gnome();
    const proxy = make();
    await proxy.sync(LOCAL);
    platform.values['org.gnome.system.proxy.http host'] = "'their-own.example'";
    const changedByUser = { ...platform.values };
    platform.commands.length = 0;
    await proxy.sync(null);
    expect(platform.commands.filter(([, verb]) => verb !== 'get')).toEqual([]);
    expect(platform.values).toEqual(changedByUser);
    expect(journal.read()).toBeNull();
    expect(proxy.status).toMatchObject({ state: 'off', message: expect.stringMatching(/left as you set them/) });
  });

  it('a user who switched the proxy off by hand (back to the old mode) still gets the rest put back', async () => {
    const { platform, make } = gnome();
    const proxy = make();
    await proxy.sync(LOCAL);
    platform.values['org.gnome.system.proxy mode'] = "'auto'";
    await proxy.sync(null);
    expect(platform.values).toEqual(BEFORE);
  });

  it('a new start after a crash restores from the journal before anything else, and tells the user', async () => {
    const { platform, journal, make } = gnome();
    await make().sync(LOCAL);
    expect(platform.values['org.gnome.system.proxy mode']).toBe("'manual'");
    const afterCrash = make();
    const statuses: string[] = [];
    afterCrash.onStatus((status) => statuses.push(status.state));
    await afterCrash.recover();
    expect(platform.values).toEqual(BEFORE);
    expect(journal.read()).toBeNull();
    expect(statuses).toEqual(['off']);
    expect(afterCrash.status.message).toMatch(/Restored your proxy settings/);
  });

  it('a crash half-way through pointing (journal written, some keys set) still restores everything', async () => {
    const { platform, journal, make } = gnome();
    const adapter = new GnomeGsettings(platform.run);
    const applied = adapter.target(LOCAL);
    journal.write({ desktop: 'GNOME', previous: { ...BEFORE }, applied });
    platform.values['org.gnome.system.proxy.http host'] = "'127.0.0.1'";
    platform.values['org.gnome.system.proxy.http port'] = '8899';
    await make().recover();
    expect(platform.values).toEqual(BEFORE);
  });

  it('a platform that refuses leaves the status failed with the reason, and the journal for the next try', async () => {
    const { platform, journal, errors, make } = gnome();
    const proxy = make();
    await proxy.sync(LOCAL);
    const run = platform.run;
    platform.run = async (command, args) => {
      if (args[0] === 'set') throw new Error('dconf is read-only');
      return run(command, args);
    };
    const failing = new SystemProxy({ adapter: new GnomeGsettings(platform.run), journal });
    await failing.sync(null);
    expect(failing.status).toEqual({
      state: 'failed',
      desktop: 'GNOME',
      message: expect.stringContaining('dconf is read-only'),
    });
    expect(journal.read()).not.toBeNull();
    expect(errors).toEqual([]);
  });

  it('a journal left by a restore that failed is put back before pointing again, so the old values stay the ones kept', async () => {
    const { platform, journal, make } = gnome();
    const applied = new GnomeGsettings(platform.run).target({ host: '127.0.0.1', port: 1 });
    journal.write({ desktop: 'GNOME', previous: { ...BEFORE }, applied });
    Object.assign(platform.values, applied);
    const proxy = make();
    await proxy.sync(LOCAL);
    expect(platform.values['org.gnome.system.proxy.http port']).toBe('8899');
    expect(journal.read()!.previous).toEqual(BEFORE);
    await proxy.sync(null);
    expect(platform.values).toEqual(BEFORE);
  });

  it('a journal from another desktop session is dropped, not applied to this one', async () => {
    const { platform, journal, make } = gnome();
    journal.write({ desktop: 'KDE Plasma', previous: { ProxyType: '0' }, applied: { ProxyType: '1' } });
    await make().recover();
    expect(platform.commands).toEqual([]);
    expect(journal.read()).toBeNull();
  });

  it('when the journal cannot be written nothing is changed: no record of the old values, no new ones', async () => {
    const platform = fakeGsettings({ ...BEFORE });
    const blocked = join(mkdtempSync(join(tmpdir(), 'atlantic-journal-')), 'a-file');
    writeFileSync(blocked, '');
    const proxy = new SystemProxy({
      adapter: new GnomeGsettings(platform.run),
      journal: new ProxyJournal(join(blocked, 'system-proxy.json')),
    });
    await proxy.sync(LOCAL);
    expect(platform.commands.filter(([, verb]) => verb !== 'get')).toEqual([]);
    expect(platform.values).toEqual(BEFORE);
    expect(proxy.status).toMatchObject({ state: 'failed', message: expect.stringContaining('Could not change') });
  });

  it('a damaged journal is ignored, never applied', async () => {
    const { platform, journal, make } = gnome();
    writeFileSync(journal.file, '{"desktop":"GNOME","previous":');
    await make().recover();
    expect(platform.commands).toEqual([]);
  });
});

describe('which desktop', () => {
  const run = async () => '';
  it.each([
    ['win32', {}, 'Windows'],
    ['darwin', {}, 'macOS'],
    ['linux', { XDG_CURRENT_DESKTOP: 'ubuntu:GNOME' }, 'GNOME'],
    ['linux', { XDG_CURRENT_DESKTOP: 'X-Cinnamon' }, 'GNOME'],
    ['linux', { XDG_CURRENT_DESKTOP: 'KDE', KDE_SESSION_VERSION: '6' }, 'KDE Plasma'],
  ] as const)('%s %o → %s', (platform, env, desktop) => {
    expect(systemProxyAdapter(platform, env, run)).toMatchObject({ desktop });
  });

  it('Plasma 6 uses kwriteconfig6, Plasma 5 kwriteconfig5', async () => {
    for (const version of ['5', '6']) {
      const commands: string[] = [];
      const adapter = systemProxyAdapter(
        'linux',
        { XDG_CURRENT_DESKTOP: 'KDE', KDE_SESSION_VERSION: version },
        async (c) => {
          commands.push(c);
          return '';
        },
      );
      if ('unsupported' in adapter) expect.fail('KDE is supported');
      await adapter.write({ ProxyType: '1' });
      expect(commands[0]).toBe(`kwriteconfig${version}`);
    }
  });

  it('a desktop that is neither GNOME nor KDE gets a status saying so, and nothing is run', async () => {
    const commands: string[] = [];
    const adapter = systemProxyAdapter('linux', { XDG_CURRENT_DESKTOP: 'XFCE' }, async (c) => {
      commands.push(c);
      return '';
    });
    const journal = new ProxyJournal(join(mkdtempSync(join(tmpdir(), 'atlantic-journal-')), 'j.json'));
    const proxy = new SystemProxy({ adapter, journal });
    await proxy.sync(LOCAL);
    expect(proxy.status).toEqual({
      state: 'unsupported',
      desktop: null,
      message: expect.stringContaining('this desktop (XFCE) is neither'),
    });
    expect(commands).toEqual([]);
    expect(journal.read()).toBeNull();
  });
});
