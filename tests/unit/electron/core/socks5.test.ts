import net, { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { acceptSocksConnect, SocksReply, socksReply } from '../../../../electron/core/local-proxy/socks5.ts';

type Accepted = Awaited<ReturnType<typeof acceptSocksConnect>>;

const servers: net.Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** Runs the handshake on a real loopback socket, fed `chunks` one write at a time. */
async function handshake(chunks: number[][]): Promise<{ result: Accepted | Error; answer: Buffer; rest: Buffer }> {
  let settle!: (value: Accepted | Error) => void;
  const result = new Promise<Accepted | Error>((resolve) => (settle = resolve));
  const server = net.createServer((socket) => acceptSocksConnect(socket).then(settle, settle));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = net.connect((server.address() as AddressInfo).port, '127.0.0.1');
  const answer: Buffer[] = [];
  client.on('data', (chunk) => answer.push(chunk));
  client.on('error', () => undefined);
  const closed = new Promise((resolve) => client.once('close', resolve));
  await new Promise((resolve) => client.once('connect', resolve));
  for (const chunk of chunks) {
    client.write(Buffer.from(chunk));
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const outcome = await result;
  let rest: Buffer = Buffer.alloc(0);
  if (!(outcome instanceof Error)) {
    outcome.socket.resume();
    rest = await new Promise<Buffer>((resolve) => {
      outcome.socket.once('data', resolve);
      setTimeout(() => resolve(Buffer.alloc(0)), 50);
    });
    outcome.socket.destroy();
  } else {
    await closed;
  }
  client.destroy();
  return { result: outcome, answer: Buffer.concat(answer), rest };
}

const GREETING = [0x05, 0x01, 0x00];

describe('SOCKS5 handshake (RFC 1928, CONNECT without authentication)', () => {
  it('reads a domain name as given, for the gateway side to resolve', async () => {
    const name = [...Buffer.from('example.test')];
    const { result, answer } = await handshake([GREETING, [0x05, 0x01, 0x00, 0x03, name.length, ...name, 0x01, 0xbb]]);
    expect(result).toMatchObject({ host: 'example.test', port: 443 });
    expect([...answer]).toEqual([0x05, 0x00]); // method chosen: no authentication
  });

  it('reads IPv4 and IPv6 addresses', async () => {
    const v4 = await handshake([GREETING, [0x05, 0x01, 0x00, 0x01, 127, 0, 0, 1, 0x1f, 0x90]]);
    expect(v4.result).toMatchObject({ host: '127.0.0.1', port: 8080 });
    const v6 = await handshake([GREETING, [0x05, 0x01, 0x00, 0x04, ...Array(15).fill(0), 1, 0x00, 0x50]]);
    expect(v6.result).toMatchObject({ host: '0:0:0:0:0:0:0:1', port: 80 });
  });

  it('copes with a handshake split across packets, and hands on bytes sent right after it', async () => {
    const name = [...Buffer.from('a.b')];
    const { result, rest } = await handshake([
      [0x05],
      [0x02, 0x02, 0x00],
      [0x05, 0x01, 0x00, 0x03, name.length, name[0]!],
      [...name.slice(1), 0x00, 0x50, ...Buffer.from('GET / HTTP/1.1\r\n')],
    ]);
    expect(result).toMatchObject({ host: 'a.b', port: 80 });
    expect(rest.toString()).toBe('GET / HTTP/1.1\r\n');
  });

  it('answers "no acceptable methods" to a client that insists on authentication', async () => {
    const { result, answer } = await handshake([[0x05, 0x01, 0x02]]);
    expect(result).toBeInstanceOf(Error);
    expect([...answer]).toEqual([0x05, 0xff]);
  });

  it('refuses BIND and UDP ASSOCIATE with "command not supported"', async () => {
    const { result, answer } = await handshake([GREETING, [0x05, 0x02, 0x00, 0x01, 127, 0, 0, 1, 0, 80]]);
    expect(result).toBeInstanceOf(Error);
    expect([...answer]).toEqual([0x05, 0x00, ...socksReply(SocksReply.commandNotSupported)]);
  });

  it('refuses an unknown address type, and drops a client that is not SOCKS5', async () => {
    const odd = await handshake([GREETING, [0x05, 0x01, 0x00, 0x09]]);
    expect([...odd.answer]).toEqual([0x05, 0x00, ...socksReply(SocksReply.addressTypeNotSupported)]);
    const socks4 = await handshake([[0x04, 0x01, 0x00, 0x50, 127, 0, 0, 1, 0]]);
    expect(socks4.result).toBeInstanceOf(Error);
    expect(socks4.answer).toHaveLength(0);
  });

  it('replies with an unspecified bound address', () => {
    expect([...socksReply(SocksReply.notAllowed)]).toEqual([0x05, 0x02, 0x00, 0x01, 0, 0, 0, 0, 0, 0]);
  });
});
