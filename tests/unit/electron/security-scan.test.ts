// CI's desktop security check, by reading the shell's source: every window is
// built from the hardened options, every IPC channel comes from the shared
// contract, and web preferences are set in one place only. A new window or
// channel added any other way fails here before it can ship.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../../', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(ts|tsx|cts|mts)$/.test(entry.name) ? [path] : [];
  });
}

/** The text of a call's arguments, from just after `(` to its matching `)`. */
function callArguments(text: string, openAt: number): string {
  let depth = 0;
  for (let i = openAt; i < text.length; i++) {
    if (text[i] === '(') depth += 1;
    else if (text[i] === ')' && --depth === 0) return text.slice(openAt + 1, i);
  }
  return text.slice(openAt + 1);
}

/** Each problem in one file's text, as "what: where". */
function securityProblems(file: string, text: string): string[] {
  const problems: string[] = [];
  const line = (at: number) => `${file}:${text.slice(0, at).split('\n').length}`;
  for (const match of text.matchAll(/new\s+(BrowserWindow|BrowserView|WebContentsView)\s*\(/g)) {
    const args = callArguments(text, match.index + match[0].length - 1);
    if (!/^\s*mainWindowOptions\(/.test(args))
      problems.push(`${match[1]} without mainWindowOptions(): ${line(match.index)}`);
  }
  const ipc =
    /\b(ipcMain\.(?:handle|handleOnce|on|once)|ipcRenderer\.(?:invoke|send|sendSync|on|once)|\b(?:webContents|contents|sender)\.send)\s*\(/g;
  for (const match of text.matchAll(ipc)) {
    const args = callArguments(text, match.index + match[0].length - 1);
    if (!/^\s*electronChannel\(/.test(args)) problems.push(`IPC channel outside the contract: ${line(match.index)}`);
  }
  if (/webPreferences\s*:/.test(text) && !file.endsWith('window/window-options.ts')) {
    problems.push(`webPreferences set outside window-options.ts: ${file}`);
  }
  for (const unsafe of ['nodeIntegration: true', 'contextIsolation: false', 'sandbox: false', 'webSecurity: false']) {
    if (text.includes(unsafe)) problems.push(`${unsafe}: ${file}`);
  }
  return problems;
}

describe('desktop security check', () => {
  it('finds no window, IPC channel or web preference that escapes the hardened defaults', () => {
    // The shell only: the client core (electron/core) may not import electron at all (a lint rule).
    const files = sources('electron').filter((f) => !f.startsWith('electron/core/'));
    expect(files.length).toBeGreaterThan(10);
    const problems = files.flatMap((file) => securityProblems(file, readFileSync(join(ROOT, file), 'utf8')));
    expect(problems).toEqual([]);
  });

  it('catches each kind of escape it looks for', () => {
    const bad = [
      `const w = new BrowserWindow({ width: 800 });`,
      `const w = new BrowserWindow(options);`,
      `ipcMain.handle('debug:eval', () => 1);`,
      `ipcRenderer.send(\`raw\`, 1);`,
      `window.webContents.send('anything', {});`,
      `const prefs = { webPreferences: { sandbox: false } };`,
      `const prefs = { nodeIntegration: true };`,
    ];
    for (const text of bad) expect(securityProblems('electron/x.ts', text), text).not.toEqual([]);
    const good = [
      `new BrowserWindow(mainWindowOptions({ preload }))`,
      `ipcMain.handle(electronChannel(channel), handler)`,
      `contents.send(electronChannel(channel), event)`,
    ];
    for (const text of good) expect(securityProblems('electron/x.ts', text), text).toEqual([]);
  });
});
