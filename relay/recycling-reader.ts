import { Socket, type OnReadOpts } from 'node:net';

// Reads start small and double while they come back full, so a bulk download
// reads (and writes on) in larger blocks, while an idle tunnel, of which a
// gateway holds thousands, keeps one small buffer. Past 256 KiB the bench showed
// no further gain, only more memory per busy tunnel.
const FIRST_READ_BYTES = 16 * 1024;
const MAX_READ_BYTES = 256 * 1024;
// Buffers a closed tunnel leaves for the next, per size: short connections, a
// thousand a second, then allocate none, and the collector (which a fresh
// buffer outside the heap wakes sooner) has that much less to do.
const SPARE_PER_SIZE = 32;
const spare = new Map<number, Buffer[]>();

function takeBuffer(size: number): Buffer {
  return spare.get(size)?.pop() ?? Buffer.allocUnsafeSlow(size);
}

function leaveBuffer(buffer: Buffer): void {
  let kept = spare.get(buffer.length);
  if (!kept) spare.set(buffer.length, (kept = []));
  if (kept.length < SPARE_PER_SIZE) kept.push(buffer);
}
// Writes not yet taken by the kernel before reading stops: enough to keep both
// sockets busy, few enough that a slow reader holds back the sender (backpressure).
const MAX_PENDING_WRITES = 2;

/** Where reads go: a socket, or anything else that calls back once it has taken a write (an HTTP response). */
export interface ByteSink {
  write(chunk: Buffer, callback: (error?: Error | null) => void): boolean;
}

/**
 * The receiving half of a relay that reads a socket into a few recycled
 * buffers (`net.connect`'s `onread`) and writes each read on to another
 * socket. A plain pipe allocates a fresh 64 KiB buffer per read, and at
 * gigabytes a second that garbage, not the copying, is what costs a relay
 * most of its CPU. A buffer goes back to the pool only when its write is
 * done, so nothing is overwritten in flight.
 *
 * Pass `onread` to `net.connect`, then `pipeTo` the socket its reads go to;
 * anything read before that (a server that speaks first) waits, unread further.
 */
export class RecyclingReader {
  readonly onread: OnReadOpts;
  #from: Socket | undefined;
  #to: ByteSink | undefined;
  #size = FIRST_READ_BYTES;
  readonly #free: Buffer[] = [];
  #pendingWrites = 0;
  #paused = false;
  #held: { chunk: Buffer; buffer: Buffer } | undefined;
  #tap: ((chunk: Buffer) => void) | undefined;
  /** The buffer the socket reads into next. */
  #reading: Buffer | undefined;

  constructor() {
    this.onread = {
      buffer: () => (this.#reading = this.#free.pop() ?? takeBuffer(this.#size)),
      callback: (bytes, buffer) => this.#received(bytes, buffer as Buffer),
    };
  }

  /**
   * Until `pipeTo`, hands a copy of each read to `listener` and keeps reading:
   * for a handshake (a proxy's answer) that comes before the relayed bytes.
   * `undefined` stops it; later reads then wait for `pipeTo`.
   */
  tap(listener: ((chunk: Buffer) => void) | undefined): void {
    this.#tap = listener;
  }

  /**
   * Starts sending what `from` (the socket given this reader's `onread`) reads
   * to `to`, after `first`: bytes a handshake read past its own end.
   */
  pipeTo(from: Socket, to: ByteSink, first?: Buffer): void {
    this.#from = from;
    this.#to = to;
    from.once('close', () => this.#leaveBuffers());
    this.#tap = undefined;
    if (first && first.length > 0) this.#write(first, first);
    const held = this.#held;
    this.#held = undefined;
    if (held) this.#write(held.chunk, held.buffer);
    this.#resumeIfDrained();
  }

  /** Returns false to stop reading (Node pauses the socket) until writes catch up. */
  #received(bytes: number, buffer: Buffer): boolean {
    if (bytes === buffer.length && this.#size < MAX_READ_BYTES) {
      this.#size *= 2;
      this.#free.splice(0).forEach(leaveBuffer);
    }
    const chunk = buffer.subarray(0, bytes);
    if (!this.#to && this.#tap) {
      this.#tap(Buffer.from(chunk));
      if (buffer.length === this.#size) this.#free.push(buffer);
      return true;
    }
    if (!this.#to) {
      this.#held = { chunk, buffer };
      this.#paused = true;
      return false;
    }
    this.#write(chunk, buffer);
    this.#paused = this.#pendingWrites >= MAX_PENDING_WRITES;
    return !this.#paused;
  }

  #write(chunk: Buffer, buffer: Buffer): void {
    this.#pendingWrites += 1;
    let reused = false;
    this.#to!.write(chunk, () => {
      this.#pendingWrites -= 1;
      if (!reused) this.#reuse(chunk, buffer);
      this.#resumeIfDrained();
    });
    // Nothing left queued: the kernel took the bytes at once (the usual case), so the
    // buffer can take the next read, which Node asks for before the write's callback
    // runs. An idle tunnel thus keeps one buffer, not two.
    if (this.#to instanceof Socket && this.#to.writableLength === 0) {
      reused = true;
      this.#reuse(chunk, buffer);
    }
  }

  /** Only the reader's own buffers of the current size are reused (not a handshake's leftover). */
  #reuse(chunk: Buffer, buffer: Buffer): void {
    if (buffer !== chunk && buffer.length === this.#size) this.#free.push(buffer);
  }

  /**
   * Once the socket is closed, its next-read buffer and the free ones go back for
   * other tunnels. Those still being written are not: they go back to this
   * reader's own list when their writes finish, and are left to the collector.
   */
  #leaveBuffers(): void {
    if (this.#reading && !this.#held) leaveBuffer(this.#reading);
    this.#free.splice(0).forEach(leaveBuffer);
    this.#reading = undefined;
  }

  #resumeIfDrained(): void {
    if (!this.#paused || this.#pendingWrites >= MAX_PENDING_WRITES || this.#held) return;
    this.#paused = false;
    this.#from?.resume();
  }
}
