// What the stand-in `electron` tells the boot test, and what the test asks of it, over the child's IPC channel.

/** One thing the app asked of Electron. */
export interface Recorded {
  type: 'record';
  call: string;
  args: unknown[];
  /** Date.now() when it was asked. */
  at: number;
}

export type TestCommand =
  /** A call from the window's own top frame on app://atlantic, as the preload makes it. */
  | { type: 'invoke'; id: number; channel: string; payload?: unknown }
  /** Cmd+Q / the tray's Quit: Electron's before-quit, then the app's own quit. */
  | { type: 'quit' };

export type StandInMessage = Recorded | { type: 'invoked'; id: number; result: unknown } | { type: 'ready' };
