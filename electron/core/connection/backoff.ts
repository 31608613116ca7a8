export interface BackoffConfig {
  initialMs: number;
  maxMs: number;
  /** 0..1 of each delay drawn at random, so many clients that lost the network together don't return together. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffConfig = { initialMs: 1_000, maxMs: 30_000, jitter: 0.2 };

/** The wait before retry number `attempt` (1, 2, …): doubling from `initialMs` up to `maxMs`. */
export function backoffDelay(attempt: number, config: BackoffConfig, random: () => number = Math.random): number {
  const base = Math.min(config.maxMs, config.initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (1 - config.jitter + config.jitter * 2 * random()));
}
