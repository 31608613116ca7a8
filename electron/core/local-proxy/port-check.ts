import net from 'node:net';
import { LOCAL_PROXY_HOST, LocalProxyError } from './local-proxy.ts';

/**
 * Binds the port for a moment and lets it go: a port another program holds is
 * refused when the user saves it, with the reason, not discovered later.
 */
export async function checkPortFree(port: number, host = LOCAL_PROXY_HOST): Promise<void> {
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new LocalProxyError(
              'port_in_use',
              `Port ${port} is already in use by another program. Choose another local proxy port.`,
            )
          : new LocalProxyError(
              'listen_failed',
              `Port ${port} can't be used for the local proxy (${error.code ?? error.message}).`,
            ),
      ),
    );
    probe.listen(port, host, () => resolve());
  });
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}
