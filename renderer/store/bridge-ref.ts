import type { AtlanticBridge } from '../../shared/ipc/bridge.ts';

let current: AtlanticBridge | null = null;

/** The bridge the store's actions call; set once by bindBridge (or by a test). */
export function setBridge(bridge: AtlanticBridge | null): void {
  current = bridge;
}

export function atlantic(): AtlanticBridge {
  if (!current) throw new Error('The window is not connected to Atlantic Proxy yet (bindBridge was not called).');
  return current;
}
