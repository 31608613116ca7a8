import type { Socket } from 'node:net';

/**
 * Sends what `from` reads on to `to`, pausing `from` while `to` is behind
 * (backpressure), and ends `to` after `from` ends. What `pipe` does for a
 * relay's upload direction, with three listeners instead of a pipe's dozen
 * closures: a gateway holds thousands of idle tunnels, and opens and closes a
 * thousand a second. Errors and closes are the caller's to handle.
 */
export function forwardStream(from: Socket, to: Socket): void {
  from.on('data', (chunk: Buffer) => {
    if (!to.write(chunk)) from.pause();
  });
  to.on('drain', () => from.resume());
  // Ending what already ended (the far side hung up first) would cost an error object with its stack.
  from.once('end', () => {
    if (!to.writableEnded && !to.destroyed) to.end();
  });
  from.resume();
}
