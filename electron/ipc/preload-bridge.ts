import type { ContextBridge, IpcRenderer, IpcRendererEvent } from 'electron';
import { createBridge, type IpcResult, type IpcTransport } from '../../shared/ipc/bridge.ts';
import { electronChannel } from './ipc-channel.ts';

/**
 * The preload's one job, kept apart from `electron` so it runs in tests: a
 * transport over ipcRenderer limited to the contract's channels, and the bridge
 * built on it exposed as `window.atlantic` — nothing else reaches the page.
 */
export function ipcRendererTransport(ipcRenderer: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>): IpcTransport {
  return {
    invoke: (channel, payload) => ipcRenderer.invoke(electronChannel(channel), payload) as Promise<IpcResult>,
    listen(channel, listener) {
      // The page never sees Electron's event object (it carries `sender`), only the payload.
      const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
      ipcRenderer.on(electronChannel(channel), forward);
      return () => {
        ipcRenderer.removeListener(electronChannel(channel), forward);
      };
    },
  };
}

export function exposeAtlantic(
  contextBridge: Pick<ContextBridge, 'exposeInMainWorld'>,
  ipcRenderer: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>,
): void {
  contextBridge.exposeInMainWorld('atlantic', createBridge(ipcRendererTransport(ipcRenderer)));
}
