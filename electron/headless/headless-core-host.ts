import { spawn } from 'node:child_process';
import type { Logger } from 'pino';
import type { CoreHost } from '../core/client-core-types.ts';

/**
 * The system side of the core without a desktop shell: pages to open are
 * printed (and handed to xdg-open when there is a display), notices go to the log.
 */
export function headlessCoreHost(log: Logger): CoreHost {
  return {
    async openExternal(url) {
      log.info({ url }, `Open this page in your browser: ${url}`);
      if (!process.env.DISPLAY) return;
      const opener = spawn('xdg-open', [url], { stdio: 'ignore', detached: true });
      // No xdg-open is fine: the address is in the log.
      opener.on('error', () => {});
      opener.unref();
    },
    notify({ title, body }) {
      log.info({ notice: title }, `${title}: ${body}`);
    },
  };
}
