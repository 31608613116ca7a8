import { describe, expect, it } from 'vitest';
import { ipcChannels } from '../../../shared/ipc/bridge.ts';
import { createBridge } from '../../../shared/ipc/bridge-client.ts';
import { IPC_CHANNELS } from '../../../shared/ipc/channels.ts';

describe("the window's channel list", () => {
  it('is exactly the contract: every channel of ipcSchema with its kind, nothing else', () => {
    const fromSchema = Object.fromEntries(ipcChannels().map(({ channel, entry }) => [channel, entry.kind]));
    expect(IPC_CHANNELS).toEqual(fromSchema);
  });

  it('builds a bridge with a method per call and an on… per event', () => {
    const bridge = createBridge({
      invoke: async () => ({ ok: true, value: null }),
      listen: () => () => undefined,
    });
    expect(typeof bridge.wallet.refresh).toBe('function');
    expect(typeof bridge.wallet.onChanged).toBe('function');
    expect(typeof bridge.credits.payments).toBe('function');
    expect(typeof bridge.autoTopup.removeCard).toBe('function');
    expect(Object.keys(bridge).sort()).toEqual([
      'account',
      'app',
      'autoTopup',
      'connection',
      'credits',
      'desktop',
      'locations',
      'proxy',
      'settings',
      'wallet',
    ]);
  });
});
