/**
 * What the gateway tells a client it refuses (407, 403, 502): a code in this header
 * beside a readable reason in the body, so the client's local proxy can say why
 * and its connection manager can notice a session that ended.
 */
export const GATEWAY_REFUSAL_HEADER = 'x-atlantic-refusal';

export const GATEWAY_REFUSALS = [
  /** No Proxy-Authorization, or one that is not Basic session-id:password. */
  'credentials_required',
  /** No such session, or the wrong password for it. */
  'invalid_credentials',
  /** The session is over; the end reason follows a colon, e.g. `session_ended:insufficient_credits`. */
  'session_ended',
  /** A keep-alive connection already carries another session's requests. */
  'connection_in_use',
  /** No configured exit serves the session's location (502). */
  'no_exit',
  /** The direct exit does not connect there: not a public internet address (403). */
  'destination_forbidden',
] as const;

export type GatewayRefusal = (typeof GATEWAY_REFUSALS)[number];

/** Splits a refusal header value into its code and, for an ended session, the end reason. */
export function parseRefusal(value: string | undefined): { code: GatewayRefusal; reason: string | null } | null {
  if (!value) return null;
  const [code, reason] = value.split(':', 2);
  if (!(GATEWAY_REFUSALS as readonly string[]).includes(code!)) return null;
  return { code: code as GatewayRefusal, reason: reason || null };
}
