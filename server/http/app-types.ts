import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Clock } from '../../shared/clock.ts';
import type { Principal } from '../accounts/tokens.ts';
import type { ServiceConfig } from '../config.ts';
import type { Db } from '../db/types.ts';
import type { ExitSupply } from '../locations/exit-supply.ts';

/** The Fastify instance with zod schemas as its type provider. */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** What every route module is handed. */
export interface AppDeps {
  db: Db;
  config: ServiceConfig;
  clock: Clock;
  /** The exits and the catalog of locations they serve: what connect accepts and `/api/locations` offers. */
  exits: ExitSupply;
  /** Where clients reach a gateway, handed out on connect (the bound port when it listens on port 0). */
  gatewayAddress(): { host: string; port: number };
  /**
   * Since when a gateway has been up without a break (ms), null when none is up:
   * evidence for billing the time between two heartbeats (metering/served-time.ts).
   */
  gatewayUpSince(): Promise<number | null>;
  /** Told when a user's live sessions change, so their exhaustion moment is timed anew. */
  sessionsChanged(userId: string): void;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook on every route that requires a token. */
    principal: Principal | null;
  }
}
