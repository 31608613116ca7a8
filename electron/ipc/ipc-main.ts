import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { handleIpc, ipcChannels, type InvokeChannel, type IpcResult } from '../../shared/ipc/bridge.ts';
import type { ClientCore } from '../core/client-core-types.ts';
import { isAppUrl } from '../window/app-origin.ts';
import { electronChannel } from './ipc-channel.ts';

type WindowContents = Pick<WebContents, 'send' | 'isDestroyed'>;

export interface IpcMainOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  core: Pick<ClientCore, 'handlers' | 'subscribe'>;
  /** The main window's webContents while it exists: the only sender answered, the only receiver of events. */
  windowContents: () => WindowContents | null | undefined;
  /** Bugs inside the core (internal_error) land here; the renderer only sees the code. */
  onError?: (error: unknown) => void;
}

const refused: IpcResult = {
  ok: false,
  error: { code: 'forbidden', message: 'This call is only answered for the Atlantic Proxy window.' },
};

/**
 * Only the main window's own top frame, showing the app's own page, may call
 * the core: not another webContents, not a subframe, not a page the window was
 * somehow navigated to.
 */
export function isTrustedSender(
  event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>,
  windowContents: WindowContents | null | undefined,
): boolean {
  const frame = event.senderFrame;
  return !!windowContents && event.sender === windowContents && !!frame && frame.parent === null && isAppUrl(frame.url);
}

/**
 * Answers every call channel of the shared contract over ipcMain.handle and
 * forwards the core's events to the window. handleIpc validates the channel and
 * payload against the shared schema before a core handler sees it.
 * Returns the function that unregisters all of it.
 */
export function registerIpcMain({ ipcMain, core, windowContents, onError }: IpcMainOptions): () => void {
  const channels = ipcChannels()
    .filter(({ entry }) => entry.kind === 'invoke')
    .map(({ channel }) => channel as InvokeChannel);
  for (const channel of channels) {
    ipcMain.handle(electronChannel(channel), async (event, payload: unknown) =>
      isTrustedSender(event, windowContents()) ? handleIpc(core.handlers, channel, payload, onError) : refused,
    );
  }
  const unsubscribe = core.subscribe((channel, event) => {
    const contents = windowContents();
    if (contents && !contents.isDestroyed()) contents.send(electronChannel(channel), event);
  });
  return () => {
    unsubscribe();
    for (const channel of channels) ipcMain.removeHandler(electronChannel(channel));
  };
}
