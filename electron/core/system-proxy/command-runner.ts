import { execFile } from 'node:child_process';

/**
 * Runs one of the platform's own commands (reg, networksetup, gsettings,
 * kwriteconfig…) and resolves with what it printed. The adapters take it as
 * an argument, so tests hand in a fake that records every command.
 */
export type CommandRunner = (command: string, args: readonly string[]) => Promise<string>;

/** The real runner: no shell (arguments are passed as they are), 10 s at most per command. */
export function execFileRunner(env: NodeJS.ProcessEnv = process.env): CommandRunner {
  return (command, args) =>
    new Promise((resolve, reject) => {
      execFile(command, [...args], { env, timeout: 10_000, windowsHide: true }, (error, stdout, stderr) => {
        if (error)
          reject(Object.assign(error, { message: `${command} ${args.join(' ')}: ${stderr || error.message}` }));
        else resolve(stdout);
      });
    });
}
