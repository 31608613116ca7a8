import type { AtlanticBridge, InvokeChannel, IpcTransport, NotifyChannel } from './bridge.ts';
import { IPC_CHANNELS } from './channels.ts';
import type { Problem } from './views.ts';

/** A call the core refused, rethrown in the renderer with the core's code. */
export class IpcError extends Error {
  readonly code: string;

  constructor(problem: Problem) {
    super(problem.message);
    this.name = 'IpcError';
    this.code = problem.code;
  }
}

/** Builds `window.atlantic` over a transport: calls rethrow the core's errors as IpcError. */
export function createBridge(transport: IpcTransport): AtlanticBridge {
  const bridge: Record<string, Record<string, unknown>> = {};
  for (const [channel, kind] of Object.entries(IPC_CHANNELS)) {
    const [group, name] = channel.split('.') as [string, string];
    const methods = (bridge[group] ??= {});
    if (kind === 'invoke') {
      methods[name] = async (request?: unknown) => {
        const result = await transport.invoke(channel as InvokeChannel, request);
        if (!result.ok) throw new IpcError(result.error);
        return result.value;
      };
    } else {
      methods[`on${name[0]!.toUpperCase()}${name.slice(1)}`] = (listener: (event: unknown) => void) =>
        transport.listen(channel as NotifyChannel, listener);
    }
  }
  return bridge as AtlanticBridge;
}
