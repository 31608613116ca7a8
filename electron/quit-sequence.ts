import type { ClientCore } from './core/client-core-types.ts';

export interface QuitSequence {
  (): Promise<void>;
  /** True once the core has stopped (or given up): the app may really exit now. */
  readonly done: boolean;
}

/**
 * Quit from the tray, the app menu, Cmd+Q or a shutdown: the core disconnects
 * first (the service charges the last partial minute) and stops the embedded
 * billing, then the app exits. Runs once however often it is asked; a core
 * that hangs does not keep the app alive past `timeoutMs`.
 */
export function quitSequence(
  core: Pick<ClientCore, 'quit'>,
  exit: () => void,
  { timeoutMs = 15_000, onError = (_error: unknown) => {} } = {},
): QuitSequence {
  let running: Promise<void> | undefined;
  let done = false;
  const quit = () =>
    (running ??= (async () => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const gaveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
      try {
        await Promise.race([core.quit(), gaveUp]);
      } catch (error) {
        onError(error);
      } finally {
        clearTimeout(timer);
        done = true;
        exit();
      }
    })());
  return Object.defineProperty(quit, 'done', { get: () => done }) as QuitSequence;
}
