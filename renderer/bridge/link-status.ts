/**
 * Whether the window can reach the core right now. Inside Electron it always
 * can; over the headless host's WebSocket the socket may drop and come back.
 * The transport reports; the store listens (bind-bridge.ts).
 */
type Listener = (up: boolean) => void;

const listeners = new Set<Listener>();
let up = true;

export function reportCoreLink(next: boolean): void {
  if (next === up) return;
  up = next;
  for (const listener of listeners) listener(up);
}

export function onCoreLink(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export const coreLinkUp = (): boolean => up;
