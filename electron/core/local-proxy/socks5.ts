import type { Socket } from 'node:net';
import { SocketReader } from './socket-reader.ts';

// RFC 1928, the subset a local proxy needs: no authentication, CONNECT only.
export const SOCKS_VERSION = 0x05;
const NO_AUTHENTICATION = 0x00;
const NO_ACCEPTABLE_METHODS = 0xff;
const CONNECT = 0x01;
const ATYP_IPV4 = 0x01;
const ATYP_DOMAIN = 0x03;
const ATYP_IPV6 = 0x04;

/** Reply codes (RFC 1928 §6). */
export const SocksReply = {
  succeeded: 0x00,
  generalFailure: 0x01,
  notAllowed: 0x02,
  networkUnreachable: 0x03,
  hostUnreachable: 0x04,
  connectionRefused: 0x05,
  ttlExpired: 0x06,
  commandNotSupported: 0x07,
  addressTypeNotSupported: 0x08,
} as const;

export class SocksHandshakeError extends Error {
  /** What to send the client before closing, when the handshake got far enough to answer. */
  readonly answer: Buffer | undefined;

  constructor(message: string, answer?: Buffer) {
    super(message);
    this.name = 'SocksHandshakeError';
    this.answer = answer;
  }
}

/** A reply with an unspecified bound address: the client has no use for the gateway's. */
export function socksReply(code: number): Buffer {
  return Buffer.from([SOCKS_VERSION, code, 0x00, ATYP_IPV4, 0, 0, 0, 0, 0, 0]);
}

function ipv6Text(bytes: Buffer): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  return groups.join(':');
}

async function readAddress(reader: SocketReader, type: number): Promise<string> {
  if (type === ATYP_IPV4) return [...(await reader.read(4))].join('.');
  if (type === ATYP_IPV6) return ipv6Text(await reader.read(16));
  if (type === ATYP_DOMAIN) {
    const [length] = await reader.read(1);
    // Kept as a name: it is resolved on the gateway side, not here.
    return (await reader.read(length!)).toString('latin1');
  }
  throw new SocksHandshakeError(
    `address type ${type} is not supported`,
    socksReply(SocksReply.addressTypeNotSupported),
  );
}

/**
 * Runs the server side of a SOCKS5 handshake up to the CONNECT request and
 * returns its target; the caller answers with `socksReply` once it knows the
 * outcome. On a protocol error the socket gets the fitting reply and is closed.
 */
export async function acceptSocksConnect(socket: Socket): Promise<{ host: string; port: number; socket: Socket }> {
  const reader = new SocketReader(socket);
  socket.resume();
  try {
    const [version, methodCount] = await reader.read(2);
    if (version !== SOCKS_VERSION) throw new SocksHandshakeError(`SOCKS version ${version} is not supported`);
    const methods = await reader.read(methodCount!);
    if (!methods.includes(NO_AUTHENTICATION)) {
      throw new SocksHandshakeError(
        'the client offers no method without authentication',
        Buffer.from([SOCKS_VERSION, NO_ACCEPTABLE_METHODS]),
      );
    }
    socket.write(Buffer.from([SOCKS_VERSION, NO_AUTHENTICATION]));

    const [requestVersion, command, , addressType] = await reader.read(4);
    if (requestVersion !== SOCKS_VERSION) throw new SocksHandshakeError('malformed SOCKS5 request');
    if (command !== CONNECT) {
      throw new SocksHandshakeError(
        `SOCKS command ${command} is not supported`,
        socksReply(SocksReply.commandNotSupported),
      );
    }
    const host = await readAddress(reader, addressType!);
    const port = (await reader.read(2)).readUInt16BE(0);
    return { host, port, socket: reader.release() };
  } catch (error) {
    reader.release();
    if (error instanceof SocksHandshakeError && error.answer) socket.end(error.answer, () => socket.destroy());
    else socket.destroy();
    throw error;
  }
}
