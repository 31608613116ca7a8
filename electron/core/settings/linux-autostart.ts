import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface LinuxAutostart {
  /** $XDG_CONFIG_HOME, or ~/.config when unset (the XDG base directory rule). */
  configHome: string;
  /** The program to start: the AppImage itself ($APPIMAGE), not the copy it mounts, else the executable. */
  executable: string;
  /** Arguments after it, e.g. --hidden so a login start stays in the tray. */
  args: readonly string[];
}

const FILE_NAME = 'atlantic-proxy.desktop';

/** Where XDG desktops (GNOME, KDE, XFCE, …) look for programs to start at login. */
export function autostartFile(configHome: string): string {
  return join(configHome, 'autostart', FILE_NAME);
}

export function xdgConfigHome(env: NodeJS.ProcessEnv): string {
  return env.XDG_CONFIG_HOME?.startsWith('/') ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
}

/** One Exec argument, quoted as the Desktop Entry spec asks: in double quotes, with " ` $ \\ escaped. */
function execArgument(argument: string): string {
  const quoted = `"${argument.replace(/(["`$\\])/g, '\\$1')}"`;
  // The file format's own escaping comes on top: each backslash is written twice.
  return quoted.replace(/\\/g, '\\\\');
}

/** The autostart entry's text. */
export function autostartEntry({ executable, args }: Pick<LinuxAutostart, 'executable' | 'args'>): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Atlantic Proxy',
    'Comment=Pay-as-you-go proxy client',
    `Exec=${[executable, ...args].map(execArgument).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Start at login on Linux: the entry exists exactly while the setting is on. */
export function applyLinuxAutostart(enabled: boolean, autostart: LinuxAutostart): void {
  const file = autostartFile(autostart.configHome);
  if (!enabled) return rmSync(file, { force: true });
  mkdirSync(join(autostart.configHome, 'autostart'), { recursive: true });
  writeFileSync(file, autostartEntry(autostart));
}
