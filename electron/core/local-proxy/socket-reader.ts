import type { Socket } from 'node:net';

/**
 * Reads exact byte counts from a socket for a small binary handshake, then
 * hands the socket back with anything read past the handshake put back.
 */
export class SocketReader {
  readonly #socket: Socket;
  #buffer: Buffer = Buffer.alloc(0);
  #wanted: { count: number; resolve: (bytes: Buffer) => void; reject: (error: Error) => void } | undefined;
  #failure: Error | undefined;

  constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', this.#onData);
    socket.on('end', this.#onEnd);
    socket.on('error', this.#onError);
  }

  read(count: number): Promise<Buffer> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#wanted = { count, resolve, reject };
      this.#deliver();
    });
  }

  /** Stops reading; unread bytes go back to the socket, paused for its next owner. */
  release(): Socket {
    const socket = this.#socket;
    socket.off('data', this.#onData).off('end', this.#onEnd).off('error', this.#onError);
    socket.pause();
    if (this.#buffer.length > 0) socket.unshift(this.#buffer);
    this.#buffer = Buffer.alloc(0);
    return socket;
  }

  #deliver(): void {
    const wanted = this.#wanted;
    if (!wanted || this.#buffer.length < wanted.count) return;
    this.#wanted = undefined;
    const bytes = this.#buffer.subarray(0, wanted.count);
    this.#buffer = this.#buffer.subarray(wanted.count);
    wanted.resolve(bytes);
  }

  #fail(error: Error): void {
    this.#failure = error;
    this.#wanted?.reject(error);
    this.#wanted = undefined;
  }

  readonly #onData = (chunk: Buffer) => {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    this.#deliver();
  };
  readonly #onEnd = () => this.#fail(new Error('the client closed the connection during the handshake'));
  readonly #onError = (error: Error) => this.#fail(error);
}
