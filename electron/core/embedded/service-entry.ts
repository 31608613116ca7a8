import { fileURLToPath } from 'node:url';

/**
 * Where the embedded billing process's entry is: the TypeScript source in a
 * checkout (dev, headless host, tests). A packaged app bundles it to JavaScript
 * and its shell passes that path instead.
 */
export function serviceProcessEntry(bundled?: string): string {
  return bundled ?? fileURLToPath(new URL('../../embedded/service-process.ts', import.meta.url));
}

/** Node flags to run the entry: the repo runs TypeScript through tsx, a bundled .js needs nothing. */
export function execArgvFor(entryPath: string): string[] {
  return /\.[cm]?ts$/.test(entryPath) ? ['--import', 'tsx'] : [];
}
