/** The local proxy's loopback address, which the system proxy points at. */
export interface ProxyAddress {
  host: string;
  port: number;
}

/**
 * A platform's proxy settings as named values, in the platform's own spelling
 * (a registry value, a gsettings GVariant, a networksetup line…); null means
 * "not set". What the journal records and what a restore writes back.
 */
export type ProxyValues = Record<string, string | null>;

/** One desktop's proxy settings, read and written with its own commands. */
export interface SystemProxyAdapter {
  /** How the user knows this desktop: 'Windows', 'macOS', 'GNOME', 'KDE Plasma'. */
  readonly desktop: string;
  /** Every value this adapter would change, as it is now. */
  read(): Promise<ProxyValues>;
  /** The values that point the system at the local proxy (bypassing loopback and local networks). */
  target(address: ProxyAddress, current: ProxyValues): ProxyValues;
  /** Writes the given values (only those) and tells running apps. */
  write(values: ProxyValues): Promise<void>;
}
