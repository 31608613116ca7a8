// Bundled into one CommonJS file (scripts/build-electron.ts): a sandboxed preload can't load modules.
import { contextBridge, ipcRenderer } from 'electron';
import { exposeAtlantic } from './ipc/preload-bridge.ts';

exposeAtlantic(contextBridge, ipcRenderer);
