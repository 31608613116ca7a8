import { EventEmitter } from 'node:events';
import type http from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectHead } from '../../../relay/connect-head.ts';
import { createGatewayFront } from '../../../server/gateway/gateway-front.ts';

const auth = `Proxy-Authorization: Basic ${Buffer.from('u:p').toString('base64')}\r\n`;
const closers: (() => void)[] = [];
afterEach(() => closers.splice(0).forEach((close) => close()));

/** A front whose fast path says `take`; records what went where, and what the HTTP side read. */
async function front(take: boolean) {
  const tunnelled: ConnectHead[] = [];
  const parsed: string[] = [];
  const accepted: Socket[] = [];
  const httpSide = new EventEmitter();
  httpSide.on('connection', (socket: Socket) => {
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('end', () => parsed.push(text));
  });
  const server = createGatewayFront({
    http: httpSide as http.Server,
    accepted: (socket) => accepted.push(socket),
    tunnel: (client, head) => {
      tunnelled.push(head);
      if (take) client.end('tunnelled');
      return take;
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => server.close());
  const send = (bytes: string) =>
    new Promise<string>((resolve) => {
      const socket = net.connect((server.address() as AddressInfo).port, '127.0.0.1', () => socket.end(bytes));
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString()));
      socket.on('close', () => resolve(answer));
    });
  return { send, tunnelled, parsed, accepted };
}

describe("the gateway's front: a plain CONNECT is served at once, everything else by the HTTP server", () => {
  it('hands a plain CONNECT to the fast path, head read, and nothing to the HTTP server', async () => {
    const { send, tunnelled, parsed, accepted } = await front(true);
    expect(await send(`CONNECT example.com:443 HTTP/1.1\r\n${auth}\r\nearly`)).toBe('tunnelled');
    expect(tunnelled).toMatchObject([{ hostname: 'example.com', port: 443, username: 'u', password: 'p' }]);
    expect(tunnelled[0]!.rest.toString()).toBe('early');
    expect(parsed).toEqual([]);
    expect(accepted).toHaveLength(1);
  });

  it.each([
    ['a CONNECT the fast path declines', false, `CONNECT example.com:443 HTTP/1.1\r\n${auth}\r\nearly`],
    ['an absolute-URI request', true, `GET http://example.com/ HTTP/1.1\r\n${auth}\r\n`],
    ['a CONNECT without a port', true, `CONNECT example.com HTTP/1.1\r\n${auth}\r\n`],
  ])('gives the HTTP server %s, every byte as sent', async (_name, take, bytes) => {
    const { send, parsed, accepted } = await front(take);
    await send(bytes);
    await expect.poll(() => parsed).toEqual([bytes]);
    expect(accepted).toHaveLength(1);
  });
});
