import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { startHeadlessHost } from '../../../electron/headless/headless-host.ts';
import { createWsTransport, type WsTransport } from '../../../renderer/bridge/ws-transport.ts';
import { createBridge, IpcError } from '../../../shared/ipc/bridge.ts';
import { fakeClientCore } from '../../support/fake-client-core.ts';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A bridge endpoint the test scripts: it records calls and answers only when told. */
async function scriptedHost() {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => wss.once('listening', resolve));
  const calls: any[] = [];
  const sockets: WebSocket[] = [];
  wss.on('connection', (ws) => {
    sockets.push(ws);
    ws.on('message', (data) => calls.push(JSON.parse(data.toString())));
  });
  cleanups.push(() => {
    for (const ws of wss.clients) ws.terminate();
    return new Promise((resolve) => wss.close(resolve));
  });
  return { wss, calls, sockets, url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/bridge` };
}

function transportTo(url: string, options: Partial<Parameters<typeof createWsTransport>[0]> = {}): WsTransport {
  const transport = createWsTransport({
    url,
    createSocket: (address) => new WebSocket(address) as never,
    initialBackoffMs: 20,
    maxBackoffMs: 80,
    ...options,
  });
  cleanups.push(() => transport.close());
  return transport;
}

async function until<T>(probe: () => T | undefined, what: string): Promise<T> {
  for (let waited = 0; waited < 5000; waited += 5) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('WebSocket transport', () => {
  it('queues calls made while connecting and sends them once open', async () => {
    const host = await scriptedHost();
    const transport = transportTo(host.url);
    const answer = transport.invoke('wallet.refresh', undefined);
    const call = await until(() => host.calls[0], 'the queued call');
    expect(call).toEqual({ id: 1, channel: 'wallet.refresh' });
    host.sockets[0]!.send(JSON.stringify({ id: call.id, result: { ok: true, value: 'fresh' } }));
    expect(await answer).toEqual({ ok: true, value: 'fresh' });
  });

  it('rejects calls sent but unanswered when the socket closes, then reconnects with backoff', async () => {
    const host = await scriptedHost();
    const transport = transportTo(host.url);
    const answer = transport.invoke('credits.purchase', { package_id: 'pkg_25' });
    await until(() => host.calls[0], 'the call');
    host.sockets[0]!.close(4000, 'gone');
    const error = await answer.then(
      () => undefined,
      (rejected: unknown) => rejected,
    );
    expect(error).toBeInstanceOf(IpcError);
    expect(error).toMatchObject({ code: 'bridge_closed' });
    // The call is not repeated on the new socket: it may already have run.
    await until(() => host.sockets.length === 2, 'a reconnect');
    const later = transport.invoke('wallet.refresh', undefined);
    const call = await until(() => host.calls.find((c) => c.channel === 'wallet.refresh'), 'the next call');
    host.sockets[1]!.send(JSON.stringify({ id: call.id, result: { ok: true, value: 2 } }));
    expect(await later).toEqual({ ok: true, value: 2 });
    expect(host.calls.filter((c) => c.channel === 'credits.purchase')).toHaveLength(1);
  });

  it('backs off between attempts while the host is down, doubling up to the cap', async () => {
    const host = await scriptedHost();
    const attempts: number[] = [];
    transportTo(host.url, {
      createSocket: (address) => {
        attempts.push(Date.now());
        return new WebSocket(address.replace(/:\d+\//, ':1/')) as never;
      },
      initialBackoffMs: 40,
      maxBackoffMs: 160,
    });
    await until(() => attempts.length >= 5, 'five attempts');
    const gaps = attempts.slice(1).map((at, i) => at - attempts[i]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(35);
    expect(gaps[1]).toBeGreaterThanOrEqual(75);
    expect(gaps[2]).toBeGreaterThanOrEqual(155);
    expect(gaps[3]).toBeGreaterThanOrEqual(155);
    expect(gaps[3]).toBeLessThan(1000);
  });

  it('fails a queued call with bridge_unavailable when no connection comes in time', async () => {
    const host = await scriptedHost();
    const transport = transportTo(host.url.replace(/:\d+\//, ':1/'), { connectTimeoutMs: 100 });
    await expect(transport.invoke('wallet.refresh', undefined)).rejects.toMatchObject({ code: 'bridge_unavailable' });
  });

  it('delivers events to listeners until they unsubscribe; close() is for good', async () => {
    const complaints = vi.spyOn(console, 'error').mockImplementation(() => {});
    const unreadable = vi.spyOn(console, 'warn').mockImplementation(() => {});
    cleanups.push(() => {
      vi.restoreAllMocks();
    });
    const host = await scriptedHost();
    const transport = transportTo(host.url);
    const seen: unknown[] = [];
    const stop = transport.listen('wallet.changed', (event) => seen.push(event));
    transport.listen('connection.changed', () => {
      throw new Error('a broken listener');
    });
    await until(() => host.sockets[0]?.readyState === WebSocket.OPEN, 'the socket');
    const socket = host.sockets[0]!;
    socket.send(JSON.stringify({ event: 'connection.changed', payload: {} }));
    socket.send(JSON.stringify({ event: 'wallet.changed', payload: { n: 1 } }));
    await until(() => seen.length === 1, 'the event');
    stop();
    socket.send(JSON.stringify({ event: 'wallet.changed', payload: { n: 2 } }));
    socket.send('not json');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).toEqual([{ n: 1 }]);
    // A throwing listener and an unreadable frame are reported, and break nothing.
    expect(complaints).toHaveBeenCalledWith(expect.stringContaining('connection.changed'), expect.any(Error));
    expect(unreadable).toHaveBeenCalledWith(expect.stringContaining('unreadable'));

    transport.close();
    await expect(transport.invoke('wallet.refresh', undefined)).rejects.toMatchObject({ code: 'bridge_closed' });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(host.sockets).toHaveLength(1);
  });
});

describe('window.atlantic over the headless host', () => {
  it('answers calls from the core and rethrows its coded errors', async () => {
    const rendererDir = await mkdtemp(join(tmpdir(), 'headless-renderer-'));
    cleanups.push(() => rm(rendererDir, { recursive: true, force: true }));
    await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>x</title>');
    const core = fakeClientCore();
    const host = await startHeadlessHost({
      createCore: async () => core,
      rendererDir,
      port: 0,
      log: pino({ level: 'silent' }),
    });
    cleanups.push(() => host.close());
    const origin = `http://127.0.0.1:${host.port}`;
    const atlantic = createBridge(
      transportTo(`ws://127.0.0.1:${host.port}/bridge?token=${host.token}`, {
        createSocket: (address) => new WebSocket(address, { headers: { origin } }) as never,
      }),
    );
    const changes: unknown[] = [];
    atlantic.wallet.onChanged((snapshot) => changes.push(snapshot));
    expect(await atlantic.wallet.refresh()).toEqual(core.wallet);
    await expect(atlantic.locations.list()).rejects.toMatchObject({ name: 'IpcError', code: 'not_implemented' });
    await expect(atlantic.credits.payment({ payment_id: 'nope' })).rejects.toMatchObject({ code: 'invalid_request' });
    // The opening state push reached the listener too.
    await until(() => changes.length > 0, 'the opening wallet event');
    expect(changes[0]).toEqual(core.wallet);
  });
});
