import type { FromService } from '../core/embedded/service-protocol.ts';

/** What Electron's utilityProcess puts on `process.parentPort` (not in Node's types, and not importable). */
interface UtilityParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

/** The message channel to the app, whichever way it started this process. */
export interface ParentChannel {
  /** Resolves once the message is handed to the channel, so the process may exit after it. */
  post(message: FromService): Promise<void>;
  onMessage(listener: (message: unknown) => void): void;
  /** The app went away without saying stop (child_process only; Electron reaps a utility process itself). */
  onGone(listener: () => void): void;
}

/**
 * The channel to the parent: `process.parentPort` under Electron's
 * utilityProcess (messages arrive wrapped as `{ data }`), `process.send` and
 * `process.on('message')` under child_process.fork.
 */
export function parentChannel(): ParentChannel {
  const parentPort = (process as NodeJS.Process & { parentPort?: UtilityParentPort }).parentPort;
  if (parentPort) {
    return {
      post: async (message) => parentPort.postMessage(message),
      onMessage: (listener) => parentPort.on('message', (event) => listener(event.data)),
      onGone: () => undefined,
    };
  }
  const send = process.send?.bind(process);
  if (!send) throw new Error('the billing service process must be started by the app (utilityProcess or fork)');
  return {
    post: (message) =>
      new Promise((resolve) => {
        // A parent that has gone cannot be told; the process exits anyway.
        send(message, undefined, {}, () => resolve());
      }),
    onMessage: (listener) => process.on('message', listener),
    onGone: (listener) => process.once('disconnect', listener),
  };
}
