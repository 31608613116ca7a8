import type http from 'node:http';

// Meant for this hop only (RFC 9110 §7.6.1); the client's own proxy credentials never travel on.
const HOP_BY_HOP = new Set([
  'connection',
  'proxy-connection',
  'keep-alive',
  'proxy-authorization',
  'proxy-authenticate',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Says whether a header field travels on, given the message's own Connection header. */
export function endToEndFilter(connection: string | string[] | undefined): (name: string) => boolean {
  const named = new Set(
    String(connection ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase()),
  );
  return (name) => !HOP_BY_HOP.has(name.toLowerCase()) && !named.has(name.toLowerCase());
}

/** The end-to-end fields of Node's parsed headers. */
export function endToEnd(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const travels = endToEndFilter(headers.connection);
  const kept: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && travels(name)) kept[name] = value;
  }
  return kept;
}
