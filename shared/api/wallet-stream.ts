import { z } from 'zod';
import { balanceResponseSchema, featuresResponseSchema, transactionSchema } from './credits.ts';
import { sessionSchema } from './proxy.ts';

/**
 * `GET /api/wallet/stream`: server-sent events, one `wallet` event on connect
 * and another on every change to the wallet, its live sessions (their cost,
 * time left and byte counts) or its latest transactions. What the client's
 * four polls used to assemble, pushed as one.
 */
export const WALLET_STREAM_PATH = '/api/wallet/stream';

export const walletEventSchema = z.object({
  balance: balanceResponseSchema,
  features: featuresResponseSchema,
  active_sessions: z.array(sessionSchema),
  recent_transactions: z.array(transactionSchema),
});

export type WalletEvent = z.infer<typeof walletEventSchema>;
