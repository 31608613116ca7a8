import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { forwardStream } from '../../../relay/forward-stream.ts';
import { loopbackSockets, readAll, sha256 } from '../../support/loopback-sockets.ts';

const { socketPair, closeAll } = loopbackSockets();
afterEach(closeAll);

describe("forwarding a relay's upload direction", () => {
  it('passes every byte on in order, then ends the destination after the source ends', async () => {
    const payload = randomBytes(16 * 1024 * 1024);
    const [sender, from] = await socketPair();
    const [to, receiver] = await socketPair();
    from.pause(); // as a proxy holds a client socket until its tunnel is open
    sender.end(payload);
    const received = readAll(receiver);
    forwardStream(from, to);
    expect(sha256(await received)).toBe(sha256(payload));
  });

  it('stops reading the source while the destination does not take its writes', async () => {
    const payload = randomBytes(64 * 1024 * 1024);
    const [sender, from] = await socketPair();
    const [to, receiver] = await socketPair();
    receiver.pause(); // a target that reads nothing
    sender.end(payload);
    forwardStream(from, to);
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Kernel buffers on both hops and one write queued, far from the 64 MiB sent.
    expect(from.bytesRead).toBeLessThan(24 * 1024 * 1024);
    expect(to.writableLength).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(sender.writableLength).toBeGreaterThan(0);

    const received = readAll(receiver);
    receiver.resume();
    expect(sha256(await received)).toBe(sha256(payload));
  });
});
