import { DEFAULT_PRICING, type PricingConfig } from '../../shared/pricing.ts';

export interface MeteringConfig {
  pricing: PricingConfig;
  /** A session with no heartbeat for this long ends `client_lost`. */
  heartbeatTimeoutMs: number;
  /** The longest heartbeat gap still billed: anything longer was not served (default 2 × the client's 30 s). */
  heartbeatGapMs: number;
  /** Live sessions one user may hold at once. */
  maxLiveSessions: number;
  /** Sessions metered per transaction in one tick. */
  batchSize: number;
  /** Batches one tick meters at once on PostgreSQL (each on its own connection). */
  parallelBatches: number;
  /** How often the worker ticks. */
  tickIntervalMs: number;
}

export const DEFAULT_METERING: MeteringConfig = {
  pricing: DEFAULT_PRICING,
  heartbeatTimeoutMs: 120_000,
  heartbeatGapMs: 60_000,
  maxLiveSessions: 10,
  batchSize: 5_000,
  parallelBatches: 2,
  tickIntervalMs: 60_000,
};
