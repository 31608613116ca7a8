import type { ForkOptions, UtilityProcess } from 'electron';
import type { ChildLike, ProcessLauncher } from '../core/embedded/process-launcher.ts';

type UtilityProcessModule = { fork(modulePath: string, args?: string[], options?: ForkOptions): UtilityProcess };

/**
 * Runs the embedded billing service in an Electron utility process: a Node
 * child that Electron manages (no Node binary to ship), so metering and proxy
 * traffic never share a thread with the window or the tray. The child talks
 * over process.parentPort (electron/embedded/parent-channel.ts); on this side
 * its messages arrive as plain 'message' events.
 */
export function utilityProcessLauncher(
  utilityProcess: UtilityProcessModule,
  serviceName = 'Atlantic Proxy billing',
): ProcessLauncher {
  return {
    launch(entryPath, options): ChildLike {
      return utilityProcess.fork(entryPath, [], {
        serviceName,
        stdio: 'inherit',
        // Electron replaces the environment when one is given; the launcher contract adds to ours.
        env: { ...definedOnly(process.env), ...options.env },
        execArgv: options.execArgv,
      });
    },
  };
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
