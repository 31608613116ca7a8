import { fileURLToPath } from 'node:url';

/**
 * Where the embedded billing process's entry is: the TypeScript source in a
 * checkout (dev, headless host, tests). A packaged app bundles it to JavaScript
 * and its shell passes that path instead.
 */
export function serviceProcessEntry(bundled?: string): string {
  return bundled ?? fileURLToPath(new URL('../../embedded/service-process.ts', import.meta.url));
}

/**
 * Node flags to run the entry: a .ts entry needs the tsx loader (the repo runs
 * TypeScript through it), a bundled .js nothing. The loader is named by its
 * resolved URL because `--import tsx` would be looked up from the working
 * directory, which need not be this checkout.
 */
export function execArgvFor(entryPath: string): string[] {
  if (!/\.[cm]?ts$/.test(entryPath)) return [];
  return ['--import', tsxLoader()];
}

function tsxLoader(): string {
  try {
    return import.meta.resolve('tsx');
  } catch {
    // Runtimes without import.meta.resolve: fall back to the working directory's tsx.
    return 'tsx';
  }
}
