/** Where the local proxy sends traffic now: through the gateway with these credentials, or nowhere and why. */
export type ProxyRoute =
  { gateway: { host: string; port: number; username: string; password: string } } | { refusal: string };

/** A gateway refusal the local proxy saw (e.g. the session ended before the app heard). */
export interface GatewayRefusalNotice {
  code: string;
  reason: string | null;
}
