import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

const valuesSchema = z.record(z.string(), z.string().nullable());

/** What was there before we pointed the system at the local proxy, and what we wrote. */
export const journalSchema = z.object({
  desktop: z.string(),
  previous: valuesSchema,
  applied: valuesSchema,
});
export type JournalEntry = z.infer<typeof journalSchema>;

/**
 * The system-proxy journal in the app's data folder. It is on disk before the
 * first setting changes and gone once they are restored, so a journal found at
 * start means the app died (crash, SIGKILL, power loss) while it pointed the
 * system at itself. Written aside, synced, renamed, and the folder synced:
 * after a power loss it is either the old file or the whole new one.
 */
export class ProxyJournal {
  constructor(readonly file: string) {}

  read(): JournalEntry | null {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return null;
    }
    try {
      const parsed = journalSchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  write(entry: JournalEntry): void {
    const folder = dirname(this.file);
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const temporary = `${this.file}.tmp`;
    const fd = openSync(temporary, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(entry));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, this.file);
    syncFolder(folder);
  }

  remove(): void {
    rmSync(this.file, { force: true });
    syncFolder(dirname(this.file));
  }
}

function syncFolder(folder: string): void {
  // Windows cannot open a folder for fsync; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
