import { describeEndReason } from '../../../shared/session-end.ts';
import { GatewayTunnelError } from './gateway-tunnel.ts';

/** How a failed tunnel reads on a browser's error page and which status it gets. */
export function failureOf(error: unknown, target: string): { status: 403 | 502 | 503; text: string } {
  if (error instanceof GatewayTunnelError && error.refusal?.code === 'destination_forbidden') {
    return { status: 403, text: error.message }; // the gateway's own words: which destination, and why not
  }
  if (error instanceof GatewayTunnelError && error.refusal?.code === 'session_ended') {
    const reason = error.refusal.reason ?? 'ended';
    return { status: 503, text: `Atlantic Proxy session ended (${reason}): ${describeEndReason(reason)}` };
  }
  if (error instanceof GatewayTunnelError && error.refusal?.code === 'invalid_credentials') {
    return { status: 503, text: `Atlantic Proxy: the gateway no longer accepts this session. Connect again.` };
  }
  const why = error instanceof Error ? error.message : String(error);
  return { status: 502, text: `Atlantic Proxy could not reach ${target} through the gateway: ${why}` };
}

/** A complete plain-text HTTP response, written straight to a socket that is then closed. */
export function plainResponse(status: number, text: string): string {
  const reason =
    { 400: 'Bad Request', 403: 'Forbidden', 502: 'Bad Gateway', 503: 'Service Unavailable' }[status] ?? 'Error';
  const body = `${text}\n`;
  return (
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: text/plain; charset=utf-8\r\n` +
    `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`
  );
}
