import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applyLinuxAutostart,
  autostartFile,
  xdgConfigHome,
} from '../../../../../electron/core/settings/linux-autostart.ts';

describe('Linux start at login: an XDG autostart entry', () => {
  it('is created when the setting goes on and removed when it goes off', () => {
    const configHome = mkdtempSync(join(tmpdir(), 'atlantic-xdg-'));
    const autostart = { configHome, executable: '/opt/Atlantic Proxy/atlantic-proxy', args: ['--hidden'] };
    const file = join(configHome, 'autostart', 'atlantic-proxy.desktop');
    expect(autostartFile(configHome)).toBe(file);

    applyLinuxAutostart(true, autostart);
    expect(readFileSync(file, 'utf8')).toBe(
      [
        '[Desktop Entry]',
        'Type=Application',
        'Name=Atlantic Proxy',
        'Comment=Pay-as-you-go proxy client',
        'Exec="/opt/Atlantic Proxy/atlantic-proxy" "--hidden"',
        'Terminal=false',
        'X-GNOME-Autostart-enabled=true',
        '',
      ].join('\n'),
    );
    applyLinuxAutostart(true, autostart);
    expect(existsSync(file)).toBe(true);

    applyLinuxAutostart(false, autostart);
    expect(existsSync(file)).toBe(false);
    // Off when already off is not an error.
    applyLinuxAutostart(false, autostart);
    expect(existsSync(file)).toBe(false);
  });

  it('quotes an executable path with quotes, dollars and backslashes as the Desktop Entry spec asks', () => {
    const configHome = mkdtempSync(join(tmpdir(), 'atlantic-xdg-'));
    applyLinuxAutostart(true, { configHome, executable: '/home/a "b"/$x\\y.AppImage', args: [] });
    expect(readFileSync(autostartFile(configHome), 'utf8')).toContain(
      'Exec="/home/a \\\\"b\\\\"/\\\\$x\\\\\\\\y.AppImage"\n',
    );
  });

  it('follows XDG_CONFIG_HOME, falling back to ~/.config when it is unset or relative', () => {
    expect(xdgConfigHome({ XDG_CONFIG_HOME: '/tmp/cfg' })).toBe('/tmp/cfg');
    expect(xdgConfigHome({})).toBe(join(homedir(), '.config'));
    expect(xdgConfigHome({ XDG_CONFIG_HOME: 'relative' })).toBe(join(homedir(), '.config'));
  });
});
