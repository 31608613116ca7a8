import { randomBytes } from 'node:crypto';
import net, { type Socket } from 'node:net';
import { RequestError } from 'proxy-chain';
import { afterEach, describe, expect, it } from 'vitest';
import { DirectTunnels } from '../../../server/gateway/direct-tunnels.ts';
import { RecyclingReader } from '../../../relay/recycling-reader.ts';
import { loopbackSockets, readAll, sha256, until } from '../../support/loopback-sockets.ts';

const { serve, socketPair, closers, closeAll } = loopbackSockets();
afterEach(closeAll);

describe('recycling reader', () => {
  it('relays every byte in order while buffers are reused, including what arrived before the relay began', async () => {
    const payload = randomBytes(24 * 1024 * 1024);
    // The source speaks first: its data is waiting before the reader has anywhere to send it.
    const port = await serve((socket) => socket.end(payload));
    const reader = new RecyclingReader();
    const source = net.connect({ port, host: '127.0.0.1', onread: reader.onread });
    const [destination, receiver] = await socketPair();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const received = readAll(receiver);
    source.once('end', () => destination.end());
    reader.pipeTo(source, destination);
    const bytes = await received;
    expect(bytes.length).toBe(payload.length);
    // A buffer overwritten while its write was in flight would show here.
    expect(sha256(bytes)).toBe(sha256(payload));
  });

  it('stops reading while the destination does not take its writes (backpressure, no unbounded buffering)', async () => {
    const payload = randomBytes(64 * 1024 * 1024);
    let sender!: Socket;
    const port = await serve((socket) => {
      sender = socket;
      socket.end(payload);
    });
    const reader = new RecyclingReader();
    const source = net.connect({ port, host: '127.0.0.1', onread: reader.onread });
    const [destination, receiver] = await socketPair();
    receiver.pause(); // a client that reads nothing
    reader.pipeTo(source, destination);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const readWhilePaused = source.bytesRead;
    // Kernel buffers on both hops plus at most a few read buffers queued, far from the 64 MiB sent.
    expect(readWhilePaused).toBeLessThan(24 * 1024 * 1024);
    expect(destination.writableLength).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(sender.writableLength).toBeGreaterThan(0);

    // Once the client reads again, everything arrives intact.
    source.once('end', () => destination.end());
    const received = readAll(receiver);
    receiver.resume();
    expect(sha256(await received)).toBe(sha256(payload));
  });

  it('hands a handshake copies of what it reads until the relay begins, then relays after the leftover', async () => {
    const handshake = 'HTTP/1.1 200 Connection Established\r\n\r\n';
    const payload = randomBytes(8 * 1024 * 1024);
    const port = await serve((socket) => {
      socket.write(handshake);
      // The tunnel's bytes follow once the handshake was seen.
      socket.once('data', () => socket.end(payload));
    });
    const reader = new RecyclingReader();
    const source = net.connect({ port, host: '127.0.0.1', onread: reader.onread });
    const tapped: Buffer[] = [];
    reader.tap((chunk) => tapped.push(chunk));
    await until(() => Buffer.concat(tapped).length >= handshake.length);
    expect(Buffer.concat(tapped).toString()).toBe(handshake);
    reader.tap(undefined);
    source.write('go');
    // What arrives now waits for the relay, which sends a handshake's leftover first.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const [destination, receiver] = await socketPair();
    const received = readAll(receiver);
    source.once('end', () => destination.end());
    reader.pipeTo(source, destination, Buffer.from('leftover:'));
    const bytes = await received;
    expect(bytes.subarray(0, 9).toString()).toBe('leftover:');
    expect(sha256(bytes.subarray(9))).toBe(sha256(payload));
    // The copies handed out were never overwritten by later reads.
    expect(Buffer.concat(tapped).toString()).toBe(handshake);
  });
});

describe('direct tunnels', () => {
  it('answers an unreachable target with proxy-chain’s connection-refused status, and holds no socket', async () => {
    const closedPort = await serve(() => undefined);
    closers.splice(-1)[0]!(); // closed again: nothing listens there now
    await new Promise((resolve) => setTimeout(resolve, 20));
    const [client] = await socketPair();
    const tunnels = new DirectTunnels();
    const opening = tunnels.open(client, '127.0.0.1', closedPort);
    await expect(opening).rejects.toBeInstanceOf(RequestError);
    await expect(opening).rejects.toMatchObject({ statusCode: 594 });
  });

  it('gives up connecting (and settles) when the client goes first', async () => {
    // A non-routable address: the connection attempt hangs until something stops it.
    const [, clientPeer] = await socketPair();
    const tunnels = new DirectTunnels();
    const opening = tunnels.open(clientPeer, '10.255.255.1', 9);
    clientPeer.destroy();
    await expect(opening).rejects.toBeInstanceOf(RequestError);
  });

  it('does not connect for a client already gone (it left while its destination was being resolved)', async () => {
    let reached = 0;
    const port = await serve((socket) => {
      reached += 1;
      socket.destroy();
    });
    const [, clientPeer] = await socketPair();
    clientPeer.destroy();
    await new Promise((resolve) => clientPeer.once('close', resolve));
    await expect(new DirectTunnels().open(clientPeer, '127.0.0.1', port)).rejects.toBeInstanceOf(RequestError);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(reached).toBe(0);
  });

  it('ends the client cleanly when the target hung up before the client was handed over', async () => {
    const hangUpPort = await serve((socket) => socket.destroy());
    const [client, clientPeer] = await socketPair();
    const tunnels = new DirectTunnels();
    await tunnels.open(clientPeer, '127.0.0.1', hangUpPort);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const ended = new Promise((resolve) => client.once('end', resolve));
    tunnels.connectServer.emit('connection', clientPeer);
    client.resume();
    await ended;
  });

  it('relays both ways once proxy-chain hands the client over, and closes the target when the client goes', async () => {
    let target!: Socket;
    const echoPort = await serve((socket) => {
      target = socket;
      socket.pipe(socket);
    });
    const [client, clientPeer] = await socketPair();
    const tunnels = new DirectTunnels();
    await tunnels.open(clientPeer, '127.0.0.1', echoPort);
    tunnels.connectServer.emit('connection', clientPeer);
    const echoed = new Promise<string>((resolve) => client.once('data', (chunk: Buffer) => resolve(chunk.toString())));
    client.write('ping');
    expect(await echoed).toBe('ping');

    const targetClosed = new Promise((resolve) => target.once('close', resolve));
    clientPeer.destroy(); // as the gateway does when the session ends
    await targetClosed;
    await until(() => client.destroyed || client.readableEnded);
  });
});
