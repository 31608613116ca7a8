import { z } from 'zod';
import type { CreditPackage } from '../shared/packages.ts';
import { checkPricing, DEFAULT_PRICING, type PricingConfig } from '../shared/pricing.ts';
import { parseAllowedCidrs, type AllowedCidrs } from './gateway/egress-policy.ts';
import { DEFAULT_METERING, type MeteringConfig } from './metering/config.ts';
import { loadPackages } from './payments/packages-config.ts';
import { loadPaymentsConfig, type PaymentsConfig } from './payments/payments-config.ts';

/** Everything the service reads from its environment, with safe defaults (see the README's table). */
export interface ServiceConfig {
  host: string;
  port: number;
  /** The address users' browsers reach the service at (checkout pages link back here). */
  publicUrl: string;
  databaseUrl: string | undefined;
  /** Connections each process keeps to PostgreSQL. */
  databasePoolSize: number;
  /** PGlite's data folder; unset keeps the database in memory (tests). */
  dataDir: string | undefined;
  logLevel: string;
  metering: MeteringConfig;
  packages: readonly CreditPackage[];
  tokenTtlMs: number;
  /** Failed and successful logins allowed per client address per minute. */
  loginRateLimit: number;
  /** Purchases a signed-in user may start per minute. */
  purchaseRateLimit: number;
  /** Connects a signed-in user may make per minute. */
  connectRateLimit: number;
  /** Unpaid, unexpired checkouts a user may have open at once. */
  maxOpenCheckouts: number;
  gateway: GatewayConfig;
  /** The exits file (ATLANTIC_EXITS_FILE); unset: one direct exit, this machine. */
  exitsFile: string | undefined;
  /** Payment methods, provider keys and checkout expiry. */
  payments: PaymentsConfig;
  /** Who sells the credits, as receipts name them (OPERATOR_NAME). */
  operatorName: string;
  /** Embedded mode: one local account, the sandbox provider, "test mode" everywhere. */
  embedded: boolean;
}

export interface GatewayConfig {
  /** Handed to the app on connect: where clients reach a gateway. */
  host: string;
  /** Handed to the app on connect; also the port a gateway listens on (`0`: any free port). */
  port: number;
  /** The address a gateway listens on. */
  listenHost: string;
  /** Whether the service runs a gateway in its own process (off when gateways run with `npm run gateway`). */
  embedded: boolean;
  /** How often a gateway writes byte counts and re-checks its sessions' status. */
  sweepIntervalMs: number;
  /** Ranges the direct exit may reach beyond the public internet (none by default: loopback, private, link-local… refused). */
  allowedCidrs: AllowedCidrs;
}

const int = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);
const micro = z
  .string()
  .regex(/^\d+$/)
  .transform((v) => BigInt(v))
  .optional();

const envSchema = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: int(8787),
  PUBLIC_URL: z.url().optional(),
  // An empty value means unset, as in shells and .env files.
  DATABASE_URL: z
    .string()
    .optional()
    .transform((v) => v || undefined),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(8),
  ATLANTIC_DATA_DIR: z.string().default('.data/billing'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  METERING_TICK_MS: int(DEFAULT_METERING.tickIntervalMs),
  HEARTBEAT_TIMEOUT_MS: int(DEFAULT_METERING.heartbeatTimeoutMs),
  HEARTBEAT_GAP_MS: z.coerce.number().int().positive().default(DEFAULT_METERING.heartbeatGapMs),
  MAX_LIVE_SESSIONS: z.coerce.number().int().positive().default(DEFAULT_METERING.maxLiveSessions),
  METERING_BATCH_SIZE: int(DEFAULT_METERING.batchSize),
  METERING_PARALLEL_BATCHES: int(DEFAULT_METERING.parallelBatches),
  RATE_COUNTRY_MICRO: micro,
  RATE_CITY_MICRO: micro,
  RATE_STATE_MICRO: micro,
  RATE_ISP_MICRO: micro,
  MIN_START_MINUTES: int(DEFAULT_PRICING.minStartMinutes),
  TOKEN_TTL_DAYS: int(90),
  LOGIN_RATE_LIMIT: int(10),
  PURCHASE_RATE_LIMIT: z.coerce.number().int().positive().default(30),
  CONNECT_RATE_LIMIT: z.coerce.number().int().positive().default(60),
  MAX_OPEN_CHECKOUTS: z.coerce.number().int().positive().default(5),
  GATEWAY_HOST: z.string().default('127.0.0.1'),
  GATEWAY_PORT: int(8788),
  GATEWAY_LISTEN_HOST: z.string().optional(),
  GATEWAY_EMBEDDED: z.enum(['0', '1', 'true', 'false']).default('1'),
  GATEWAY_SWEEP_MS: z.coerce.number().int().positive().default(1000),
  GATEWAY_ALLOW_CIDRS: z.string().default(''),
  ATLANTIC_EXITS_FILE: z
    .string()
    .optional()
    .transform((v) => v || undefined),
  ATLANTIC_EMBEDDED: z.enum(['0', '1', 'true', 'false']).optional(),
  ATLANTIC_PACKAGES: z.string().optional(),
  OPERATOR_NAME: z.string().trim().min(1).max(120).default('Atlantic Proxy'),
  ATLANTIC_PACKAGES_FILE: z.string().optional(),
});

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const e = envSchema.parse(env);
  const r = DEFAULT_PRICING.ratesPerHour;
  const pricing: PricingConfig = checkPricing({
    ratesPerHour: {
      country: e.RATE_COUNTRY_MICRO ?? r.country,
      city: e.RATE_CITY_MICRO ?? r.city,
      state: e.RATE_STATE_MICRO ?? r.state,
      isp: e.RATE_ISP_MICRO ?? r.isp,
    },
    minStartMinutes: e.MIN_START_MINUTES,
  });
  return {
    host: e.HOST,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL ?? `http://${e.HOST}:${e.PORT}`,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    dataDir: e.ATLANTIC_DATA_DIR,
    logLevel: e.LOG_LEVEL,
    metering: {
      pricing,
      tickIntervalMs: e.METERING_TICK_MS,
      heartbeatTimeoutMs: e.HEARTBEAT_TIMEOUT_MS,
      heartbeatGapMs: e.HEARTBEAT_GAP_MS,
      maxLiveSessions: e.MAX_LIVE_SESSIONS,
      batchSize: e.METERING_BATCH_SIZE,
      parallelBatches: e.METERING_PARALLEL_BATCHES,
    },
    packages: loadPackages(e),
    tokenTtlMs: e.TOKEN_TTL_DAYS * 86_400_000,
    loginRateLimit: e.LOGIN_RATE_LIMIT,
    purchaseRateLimit: e.PURCHASE_RATE_LIMIT,
    connectRateLimit: e.CONNECT_RATE_LIMIT,
    maxOpenCheckouts: e.MAX_OPEN_CHECKOUTS,
    gateway: {
      host: e.GATEWAY_HOST,
      port: e.GATEWAY_PORT,
      listenHost: e.GATEWAY_LISTEN_HOST ?? e.GATEWAY_HOST,
      embedded: ['1', 'true'].includes(e.GATEWAY_EMBEDDED),
      sweepIntervalMs: e.GATEWAY_SWEEP_MS,
      allowedCidrs: parseAllowedCidrs(e.GATEWAY_ALLOW_CIDRS),
    },
    exitsFile: e.ATLANTIC_EXITS_FILE,
    payments: loadPaymentsConfig(env),
    operatorName: e.OPERATOR_NAME,
    // Embedded unless an operator points it at PostgreSQL or says otherwise.
    embedded: e.ATLANTIC_EMBEDDED ? ['1', 'true'].includes(e.ATLANTIC_EMBEDDED) : !e.DATABASE_URL,
  };
}
