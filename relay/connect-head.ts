// A request head this long is not a plain CONNECT from a proxy client.
const MAX_HEAD_BYTES = 8192;
const HEAD_END = Buffer.from('\r\n\r\n');
const REQUEST_LINE = /^CONNECT ([^\s]+) HTTP\/1\.[01]$/;
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*([\t\x20-\x7e\x80-\xff]*?)[ \t]*$/;
// Headers that would give a CONNECT a body or another meaning: the HTTP parser decides those.
const LEFT_TO_THE_PARSER = new Set(['content-length', 'transfer-encoding', 'upgrade']);

export interface ConnectHead {
  /** The target as proxy-chain reads it (WHATWG URL): IPv6 literals in brackets. */
  hostname: string;
  port: number;
  /** Basic credentials; both empty when the request had none. */
  username: string;
  password: string;
  /** What the client sent after the head: the first bytes of the tunnel. */
  rest: Buffer;
}

/** host and port of a CONNECT authority, read as proxy-chain reads them. */
function targetOf(authority: string): { hostname: string; port: number } | undefined {
  try {
    const url = new URL(`connect://${authority}`);
    return url.hostname && url.port ? { hostname: url.hostname, port: Number(url.port) } : undefined;
  } catch {
    return undefined;
  }
}

function basicCredentials(value: string): { username: string; password: string } | undefined {
  const space = value.indexOf(' ');
  if (space < 0 || value.slice(0, space).toLowerCase() !== 'basic') return undefined;
  const decoded = Buffer.from(value.slice(space + 1).trim(), 'base64').toString();
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * The CONNECT request at the start of `chunk` (the first bytes a client sent),
 * when the whole head is there and is the plain shape every proxy client sends:
 * request line, well-formed header lines, Basic credentials at most once.
 * Anything else is undefined, and goes to the full HTTP parser, which answers
 * it as HTTP says; so this reader need not handle what is unusual, only
 * recognise it. The gateway and the local proxy serve such heads without
 * Node's HTTP server, which costs a short tunnel more than the relaying.
 */
export function readConnectHead(chunk: Buffer): ConnectHead | undefined {
  if (chunk.length < 8 || chunk.toString('latin1', 0, 8) !== 'CONNECT ') return undefined;
  const end = chunk.indexOf(HEAD_END);
  if (end < 0 || end > MAX_HEAD_BYTES) return undefined;
  const [requestLine, ...headerLines] = chunk.toString('latin1', 0, end).split('\r\n');
  const authority = REQUEST_LINE.exec(requestLine!)?.[1];
  const target = authority && targetOf(authority);
  if (!target) return undefined;
  let credentials: { username: string; password: string } | undefined;
  for (const line of headerLines) {
    const header = HEADER_LINE.exec(line);
    if (!header) return undefined;
    const name = header[1]!.toLowerCase();
    if (LEFT_TO_THE_PARSER.has(name)) return undefined;
    if (name !== 'proxy-authorization') continue;
    if (credentials) return undefined;
    credentials = basicCredentials(header[2]!);
    if (!credentials) return undefined;
  }
  return { ...target, ...(credentials ?? { username: '', password: '' }), rest: chunk.subarray(end + HEAD_END.length) };
}
