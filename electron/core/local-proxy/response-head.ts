/** An HTTP/1.x response head: status, reason phrase and header fields in the order sent. */
export interface ResponseHead {
  status: number;
  reason: string;
  fields: [name: string, value: string][];
}

/** Delivers each chunk read (or stops with undefined): a socket's 'data', or a recycling reader's tap. */
export type ChunkListener = (listener: ((chunk: Buffer) => void) | undefined) => void;

const HEAD_END = Buffer.from('\r\n\r\n');
const MAX_HEAD_BYTES = 16 * 1024;

/** The first value of a header field, by case-insensitive name. */
export function fieldOf(head: ResponseHead, name: string): string | undefined {
  return head.fields.find(([field]) => field.toLowerCase() === name)?.[1];
}

/**
 * Parses a response head (the text before the blank line). Only a proxy's
 * answer to CONNECT and an origin's answer to a plain GET are ever read this
 * way, so this stays this small; anything that isn't a status line is malformed.
 */
export function parseResponseHead(text: string): ResponseHead | undefined {
  const [statusLine = '', ...lines] = text.split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(statusLine);
  if (!match) return undefined;
  const fields: ResponseHead['fields'] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    fields.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return { status: Number(match[1]), reason: match[2] ?? '', fields };
}

export class ResponseHeadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResponseHeadError';
  }
}

/**
 * Reads a response head from what `listen` delivers; resolves with it and the
 * bytes that came in behind it, and stops listening. Rejects on a malformed or
 * oversized head; the caller decides what an early close means.
 */
export function readResponseHead(listen: ChunkListener): Promise<{ head: ResponseHead; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    let received: Buffer = Buffer.alloc(0);
    listen((chunk) => {
      received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
      const end = received.indexOf(HEAD_END);
      if (end < 0 && received.length <= MAX_HEAD_BYTES) return;
      listen(undefined);
      const head = end < 0 ? undefined : parseResponseHead(received.subarray(0, end).toString('latin1'));
      if (!head) return reject(new ResponseHeadError(end < 0 ? 'an oversized answer' : 'a malformed answer'));
      resolve({ head, rest: received.subarray(end + HEAD_END.length) });
    });
  });
}
