import type { InvokeChannel, NotifyChannel } from '../../shared/ipc/bridge.ts';

/** Electron's channel for a contract channel; the prefix keeps ours apart from anything a library registers. */
export const electronChannel = (channel: InvokeChannel | NotifyChannel): string => `atlantic:${channel}`;
