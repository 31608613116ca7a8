/** Where the headless host serves the bridge's WebSocket (kept apart from its zod schemas for the window). */
export const WS_BRIDGE_PATH = '/bridge';
