/**
 * What counts as evidence that a session was served. The client heartbeats; the
 * gateway that carries it says it is alive; time between two heartbeats is served
 * only when they are no further apart than the allowed gap and a gateway was up
 * the whole while. Anything longer (service, gateway or client down, a laptop
 * asleep) is not billed, whether the session then resumes or ends.
 */
export interface ServiceEvidence {
  /** The longest heartbeat gap still billed (default 2 × the client's heartbeat interval). */
  heartbeatGapMs: number;
  /**
   * Since when a gateway has been up without a break (ms), null when none is up
   * now; undefined when gateway liveness is not part of the rule (a caller
   * metering without a gateway, e.g. the ledger's own tests).
   */
  gatewayUpSince?: number | null | undefined;
}

/** Whether the time from `lastHeartbeatAt` to `at` was provably served. */
export function servedBetween(lastHeartbeatAt: number, at: number, evidence: ServiceEvidence): boolean {
  if (at - lastHeartbeatAt > evidence.heartbeatGapMs) return false;
  const upSince = evidence.gatewayUpSince;
  return upSince === undefined || (upSince !== null && upSince <= lastHeartbeatAt);
}

/** The milliseconds a heartbeat at `at` adds to a session's unserved time. */
export function unservedUntil(lastHeartbeatAt: number, at: number, evidence: ServiceEvidence): number {
  return at > lastHeartbeatAt && !servedBetween(lastHeartbeatAt, at, evidence) ? at - lastHeartbeatAt : 0;
}
