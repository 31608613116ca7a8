import type { AtlanticBridge } from '../shared/ipc/bridge.ts';

declare global {
  interface Window {
    /** Exposed by Electron's preload, or installed over WebSocket by the headless host's page. */
    atlantic?: AtlanticBridge;
  }
}
