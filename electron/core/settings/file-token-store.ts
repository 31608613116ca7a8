import { readFileSync } from 'node:fs';
import type { TokenStore } from '../client-core-types.ts';
import { writePrivateFile } from './write-private-file.ts';

/**
 * Bearer tokens in a file only this user can read (0600), one per billing
 * service. For the headless host, which has no keychain; the Electron shell
 * keeps tokens with safeStorage instead.
 */
export class FileTokenStore implements TokenStore {
  readonly #file: string;

  constructor(file: string) {
    this.#file = file;
  }

  read(serverUrl: string): string | undefined {
    return this.#all()[serverUrl];
  }

  write(serverUrl: string, token: string | undefined): void {
    const tokens = this.#all();
    if (token === undefined) delete tokens[serverUrl];
    else tokens[serverUrl] = token;
    writePrivateFile(this.#file, JSON.stringify(tokens));
  }

  #all(): Record<string, string> {
    try {
      const parsed: unknown = JSON.parse(readFileSync(this.#file, 'utf8'));
      if (typeof parsed !== 'object' || parsed === null) return {};
      return Object.fromEntries(
        Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
      );
    } catch {
      return {};
    }
  }
}
