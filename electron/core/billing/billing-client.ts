import axios, { type AxiosInstance, type Method } from 'axios';
import { z } from 'zod';
import { autoTopupResponseSchema, type AutoTopupRequest, type AutoTopupView } from '../../../shared/api/auto-topup.ts';
import {
  authResponseSchema,
  userSchema,
  type AuthResponse,
  type Credentials,
  type UserView,
} from '../../../shared/api/auth.ts';
import {
  balanceResponseSchema,
  featuresResponseSchema,
  packagesResponseSchema,
  paymentSchema,
  paymentsResponseSchema,
  transactionsResponseSchema,
  usageResponseSchema,
  type FeaturesResponse,
  type PackagesResponse,
  type PaymentView,
  type PaymentsResponse,
  type TransactionsQuery,
  type TransactionsResponse,
  type UsageResponse,
} from '../../../shared/api/credits.ts';
import { errorBodySchema } from '../../../shared/api/errors.ts';
import { locationsResponseSchema, type LocationsResponse } from '../../../shared/api/locations.ts';
import {
  connectResponseSchema,
  sessionResponseSchema,
  sessionsResponseSchema,
  type ConnectRequest,
  type ConnectResponse,
  type SessionView,
} from '../../../shared/api/proxy.ts';
import { BillingError } from './billing-error.ts';
import type { WalletEvent } from '../../../shared/api/wallet-stream.ts';
import { openWalletStream, type WalletStreamHandle } from './wallet-stream.ts';

const signedOutSchema = z.object({ signed_out: z.literal(true) });

export type BalanceResponse = z.infer<typeof balanceResponseSchema>;

export interface BillingClientOptions {
  /** The billing service, e.g. http://127.0.0.1:8787. */
  baseUrl: string;
  /** The bearer token, read on every call (it can change on sign-in). */
  token: () => string | undefined;
  timeoutMs?: number;
}

/**
 * The billing API as typed calls on the shared contract. Every answer is parsed
 * with the shared zod schema; every failure is a BillingError with a code.
 */
const UNREACHABLE =
  "The billing service can't be reached right now. Check your internet connection; the app keeps trying.";
const NOT_UNDERSTOOD = 'The billing service gave an answer this app does not understand. Try again in a moment.';

export class BillingClient {
  readonly #http: AxiosInstance;
  readonly #token: () => string | undefined;
  readonly #baseUrl: string;

  constructor(options: BillingClientOptions) {
    this.#token = options.token;
    this.#baseUrl = options.baseUrl;
    this.#http = axios.create({
      baseURL: options.baseUrl,
      timeout: options.timeoutMs ?? 10_000,
      // Statuses are judged here, against the contract, not by axios.
      validateStatus: () => true,
      // The service is reached directly, never through a proxy from the environment.
      proxy: false,
    });
  }

  /** The wallet pushed as it changes (server-sent events); polling is the fallback when it ends. */
  walletStream(onEvent: (event: WalletEvent) => void, onEnd: (reason: string) => void): WalletStreamHandle {
    return openWalletStream({ baseUrl: this.#baseUrl, token: this.#token(), onEvent, onEnd });
  }

  balance(): Promise<BalanceResponse> {
    return this.#call('GET', '/api/credits/balance', balanceResponseSchema);
  }

  features(): Promise<FeaturesResponse> {
    return this.#call('GET', '/api/credits/features', featuresResponseSchema);
  }

  packages(): Promise<PackagesResponse> {
    return this.#call('GET', '/api/credits/packages', packagesResponseSchema);
  }

  /** Starts a purchase: a pending payment with the provider's checkout URL. */
  purchase(request: { package_id: string; method?: string | undefined }): Promise<PaymentView> {
    return this.#call('POST', '/api/credits/purchase', paymentSchema, request);
  }

  payment(paymentId: string): Promise<PaymentView> {
    return this.#call('GET', `/api/payments/${encodeURIComponent(paymentId)}`, paymentSchema);
  }

  /** The account's orders, newest first, whatever became of them. */
  payments(limit?: number): Promise<PaymentsResponse> {
    return this.#call('GET', '/api/payments', paymentsResponseSchema, undefined, limit ? { limit } : {});
  }

  transactions(query: Partial<TransactionsQuery> = {}): Promise<TransactionsResponse> {
    return this.#call('GET', '/api/credits/transactions', transactionsResponseSchema, undefined, query);
  }

  usage(days?: number): Promise<UsageResponse> {
    return this.#call('GET', '/api/credits/usage', usageResponseSchema, undefined, days === undefined ? {} : { days });
  }

  me(): Promise<UserView> {
    return this.#call('GET', '/api/auth/me', userSchema);
  }

  login(credentials: Credentials): Promise<AuthResponse> {
    return this.#call('POST', '/api/auth/login', authResponseSchema, credentials);
  }

  register(credentials: Credentials): Promise<AuthResponse> {
    return this.#call('POST', '/api/auth/register', authResponseSchema, credentials);
  }

  async logout(): Promise<void> {
    await this.#call('POST', '/api/auth/logout', signedOutSchema);
  }

  locations(): Promise<LocationsResponse> {
    return this.#call('GET', '/api/locations', locationsResponseSchema);
  }

  connect(targeting: ConnectRequest): Promise<ConnectResponse> {
    return this.#call('POST', '/api/proxy/connect', connectResponseSchema, targeting);
  }

  async heartbeat(sessionId: string): Promise<SessionView> {
    return (await this.#call('POST', '/api/proxy/heartbeat', sessionResponseSchema, { session_id: sessionId })).session;
  }

  async disconnect(sessionId: string): Promise<SessionView> {
    return (await this.#call('POST', '/api/proxy/disconnect', sessionResponseSchema, { session_id: sessionId }))
      .session;
  }

  async sessions(query: { status?: 'active' | 'ended'; limit?: number } = {}): Promise<SessionView[]> {
    return (await this.#call('GET', '/api/proxy/sessions', sessionsResponseSchema, undefined, query)).sessions;
  }

  /** The printable receipt page of a paid payment, as HTML. */
  receipt(paymentId: string): Promise<string> {
    return this.#call('GET', `/api/payments/${encodeURIComponent(paymentId)}/receipt`, z.string());
  }

  autoTopup(): Promise<AutoTopupView> {
    return this.#call('GET', '/api/auto-topup', autoTopupResponseSchema);
  }

  setAutoTopup(request: AutoTopupRequest): Promise<AutoTopupView> {
    return this.#call('PUT', '/api/auto-topup', autoTopupResponseSchema, request);
  }

  removeSavedCard(): Promise<AutoTopupView> {
    return this.#call('DELETE', '/api/auto-topup/card', autoTopupResponseSchema);
  }

  async #call<T>(
    method: Method,
    path: string,
    schema: z.ZodType<T>,
    body?: unknown,
    params?: Record<string, unknown>,
  ): Promise<T> {
    const token = this.#token();
    let response;
    try {
      response = await this.#http.request({
        method,
        url: path,
        data: body,
        params,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    } catch (error) {
      // The socket's own words ("connect ECONNREFUSED 127.0.0.1:1") stay in the details, for logs.
      throw new BillingError('network', UNREACHABLE, { details: { cause: (error as Error).message } });
    }
    if (response.status >= 200 && response.status < 300) {
      const parsed = schema.safeParse(response.data);
      if (parsed.success) return parsed.data;
      throw new BillingError('bad_response', NOT_UNDERSTOOD, {
        status: response.status,
        details: { request: `${method} ${path}` },
      });
    }
    const failure = errorBodySchema.safeParse(response.data);
    if (!failure.success) {
      throw new BillingError('bad_response', NOT_UNDERSTOOD, {
        status: response.status,
        details: { request: `${method} ${path}`, http_status: response.status },
      });
    }
    const { code, message, details } = failure.data.error;
    throw new BillingError(code, message, { status: response.status, ...(details ? { details } : {}) });
  }
}
