import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClientCore } from '../core/client-core.ts';
import type { ClientCore, CoreHost } from '../core/client-core-types.ts';
import { EmbeddedBilling } from '../core/embedded/embedded-billing.ts';
import { nodeProcessLauncher } from '../core/embedded/process-launcher.ts';
import { serviceProcessEntry } from '../core/embedded/service-entry.ts';
import { FileTokenStore } from '../core/settings/file-token-store.ts';
import { JsonSettingsStore } from '../core/settings/json-settings-store.ts';

export interface HeadlessCoreOptions {
  /** Settings, the token file and embedded billing's PGlite database live here. */
  dataDir: string;
  /**
   * End-to-end tests only: embedded billing runs on a frozen clock that only
   * the host's /test/clock/advance moves, so a minute costs exactly a minute.
   */
  testClock?: boolean;
  /** More environment for the embedded billing process (LOG_LEVEL, ATLANTIC_EXITS_FILE…). */
  billingEnv?: Record<string, string>;
}

const version = (): string =>
  (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** The same client core the Electron shell runs, with file stores and billing in a forked Node process. */
export function headlessCore(options: HeadlessCoreOptions): (host: CoreHost) => Promise<ClientCore> {
  return async (host) => {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    const embedded = new EmbeddedBilling({
      launcher: nodeProcessLauncher,
      entryPath: serviceProcessEntry(),
      dataDir: join(options.dataDir, 'billing'),
      env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', ...options.billingEnv },
      // A first start creates and migrates the PGlite database: slow on small or busy machines.
      startTimeoutMs: 120_000,
      ...(options.testClock ? { testClock: 'frozen' as const } : {}),
    });
    return createClientCore({
      host,
      settings: new JsonSettingsStore(join(options.dataDir, 'settings.json')),
      tokens: new FileTokenStore(join(options.dataDir, 'tokens.json')),
      embedded,
      testClock: options.testClock ?? false,
      version: version(),
    });
  };
}
