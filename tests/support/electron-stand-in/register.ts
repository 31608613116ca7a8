// `node --import tsx --import ./register.ts out/electron/main.js`: every import of
// 'electron' (the app's, electron-store's) gets the stand-in instead of the binary's path.
import { register } from 'node:module';

register('./resolve-electron.ts', import.meta.url);
