import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes a file only this user can read (0600), aside and then renamed, so a
 * crash mid-write never leaves half a file behind.
 */
export function writePrivateFile(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600 });
  // writeFile's mode applies only when it creates the file; a leftover temporary keeps its own.
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}
