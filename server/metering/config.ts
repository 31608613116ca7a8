import { DEFAULT_PRICING, type PricingConfig } from '../../shared/pricing.ts';

export interface MeteringConfig {
  pricing: PricingConfig;
  /** A session with no heartbeat for this long ends `client_lost`. */
  heartbeatTimeoutMs: number;
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
  batchSize: 5_000,
  parallelBatches: 2,
  tickIntervalMs: 60_000,
};
