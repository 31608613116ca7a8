/**
 * The embedded billing service as the core drives it (EmbeddedBilling in
 * embedded/ is one): started when no server is configured, stopped on quit or
 * when the user signs in to a remote service.
 */
export interface EmbeddedBillingPort {
  start(): Promise<{ url: string; token: string }>;
  stop(): Promise<void>;
  /** Calls `listener` when the service's process exits without being asked to; returns how to stop listening. */
  onUnexpectedExit?(listener: () => void): () => void;
  /** Only when the embedded service runs with its test clock (end-to-end tests). */
  advanceClock?(ms: number): Promise<unknown>;
  /** Runs one metering tick now (test clock only). */
  tick?(): Promise<unknown>;
}
