import type { CommandRunner } from './command-runner.ts';
import { GnomeGsettings } from './gnome-gsettings.ts';
import { KdeKioslaverc } from './kde-kioslaverc.ts';
import { MacosNetworksetup } from './macos-networksetup.ts';
import type { SystemProxyAdapter } from './proxy-values.ts';
import { WindowsWinInet } from './windows-wininet.ts';

/** Desktops that keep their proxy in GNOME's settings. */
const GNOME_LIKE = ['GNOME', 'UNITY', 'CINNAMON', 'BUDGIE', 'PANTHEON', 'X-CINNAMON'];

/** Why this machine's proxy can't be set for the user, in words the Settings page shows. */
export interface UnsupportedDesktop {
  unsupported: string;
}

/** The adapter for this OS and desktop, or why there is none (a Linux desktop that is neither GNOME nor KDE). */
export function systemProxyAdapter(
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  run: CommandRunner,
): SystemProxyAdapter | UnsupportedDesktop {
  if (platform === 'win32') return new WindowsWinInet(run);
  if (platform === 'darwin') return new MacosNetworksetup(run);
  const desktops = (env.XDG_CURRENT_DESKTOP ?? '').toUpperCase().split(':').filter(Boolean);
  if (desktops.includes('KDE')) return new KdeKioslaverc(run, env.KDE_SESSION_VERSION === '6' ? 6 : 5);
  if (desktops.some((desktop) => GNOME_LIKE.includes(desktop))) return new GnomeGsettings(run);
  const name = desktops.length > 0 ? desktops.join(', ') : 'no desktop';
  return {
    unsupported: `Atlantic Proxy sets the system proxy on GNOME and KDE Plasma; this desktop (${name}) is neither. Point your apps at the local proxy yourself.`,
  };
}
