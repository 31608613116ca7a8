import net from 'node:net';
import ipaddr from 'ipaddr.js';

/** Where a proxy listens (a gateway, or the client's local proxy). */
export interface ProxyAddress {
  host: string;
  port: number;
}

/** A Proxy-Authorization value for these `user:password` credentials. */
export const basicAuthorization = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

/** Sends `text` to a proxy and returns everything it answers until it closes the connection. */
function exchange(proxy: ProxyAddress, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(proxy.port, proxy.host, () => socket.write(text));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

const authorizationLine = (authorization: string | null) =>
  authorization === null ? '' : `Proxy-Authorization: ${authorization}\r\n`;

/**
 * A raw CONNECT to `target` (host:port), with a GET /hello sent right behind it: were a
 * tunnel opened, it would reach the origin and come back answered.
 */
export function rawConnect(proxy: ProxyAddress, target: string, authorization: string | null): Promise<string> {
  return exchange(
    proxy,
    `CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${authorizationLine(authorization)}\r\n` +
      `GET /hello HTTP/1.1\r\nHost: ${target}\r\nConnection: close\r\n\r\n`,
  );
}

/** A raw absolute-URI GET of `url` through the proxy, closing after the answer. */
export function rawAbsoluteGet(proxy: ProxyAddress, url: string, authorization: string | null): Promise<string> {
  const host = new URL(url).host;
  return exchange(
    proxy,
    `GET ${url} HTTP/1.1\r\nHost: ${host}\r\n${authorizationLine(authorization)}Connection: close\r\n\r\n`,
  );
}

/** The SOCKS5 address of `host`: IPv4 or IPv6 bytes for a plain address, else the name as a domain. */
function socksAddress(host: string): Buffer {
  if (net.isIPv4(host)) return Buffer.from([0x01, ...ipaddr.parse(host).toByteArray()]);
  if (net.isIPv6(host)) return Buffer.from([0x04, ...ipaddr.parse(host).toByteArray()]);
  return Buffer.concat([Buffer.from([0x03, host.length]), Buffer.from(host, 'latin1')]);
}

/**
 * A raw SOCKS5 CONNECT (no authentication) to host:port; on success a GET /hello
 * goes through. Resolves with the reply code and whatever came back after the reply.
 */
export function socks5Get(proxy: ProxyAddress, host: string, port: number): Promise<{ reply: number; answer: string }> {
  return new Promise((resolve, reject) => {
    const request = Buffer.concat([Buffer.from([0x05, 0x01, 0x00, 0x05, 0x01, 0x00]), socksAddress(host)]);
    const portBytes = Buffer.alloc(2);
    portBytes.writeUInt16BE(port);
    const socket = net.connect(proxy.port, proxy.host, () => socket.write(Buffer.concat([request, portBytes])));
    let received = Buffer.alloc(0);
    let asked = false;
    // Method choice (2 bytes), then the reply (10 bytes, an IPv4 bound address).
    const REPLY_END = 12;
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (!asked && received.length >= REPLY_END && received[3] === 0x00) {
        asked = true;
        socket.write(`GET /hello HTTP/1.1\r\nHost: ${host}:${port}\r\nConnection: close\r\n\r\n`);
      }
    });
    socket.on('close', () => {
      if (received.length < 4) return reject(new Error(`no SOCKS5 reply (got ${received.length} bytes)`));
      resolve({ reply: received[3]!, answer: received.subarray(REPLY_END).toString() });
    });
    socket.on('error', reject);
  });
}
