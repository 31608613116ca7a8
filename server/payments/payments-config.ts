import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { btcpayProvider } from './btcpay.ts';
import { paystackProvider } from './paystack.ts';
import type { PaymentProvider } from './provider.ts';
import { sandboxProvider } from './sandbox.ts';

const envSchema = z.object({
  PAYMENT_METHODS: z.string().default('sandbox'),
  PAYMENT_EXPIRY_MINUTES: z.coerce.number().int().positive().default(60),
  PAYSTACK_BASE_URL: z.url().default('https://api.paystack.co'),
  PAYSTACK_SECRET_KEY: z.string().optional(),
  BTCPAY_URL: z.url().optional(),
  BTCPAY_API_KEY: z.string().optional(),
  BTCPAY_STORE_ID: z.string().optional(),
  BTCPAY_WEBHOOK_SECRET: z.string().optional(),
  BTCPAY_TEST_MODE: z.enum(['0', '1', 'true', 'false']).default('0'),
});

export interface PaymentsConfig {
  /** Offered methods in order; the first is the default. */
  methods: string[];
  expiryMs: number;
  env: z.infer<typeof envSchema>;
}

export function loadPaymentsConfig(env: NodeJS.ProcessEnv): PaymentsConfig {
  const e = envSchema.parse(env);
  const methods = e.PAYMENT_METHODS.split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  return { methods, expiryMs: e.PAYMENT_EXPIRY_MINUTES * 60_000, env: e };
}

function required(value: string | undefined, name: string, method: string): string {
  if (!value) throw new AppError('invalid_input', `payment method ${method} needs ${name}`);
  return value;
}

/** The enabled providers by method. A method without its keys fails at start-up, not at checkout. */
export function buildProviders(config: PaymentsConfig, publicUrl: string): Map<string, PaymentProvider> {
  const e = config.env;
  const providers = new Map<string, PaymentProvider>();
  for (const method of config.methods) {
    if (method === 'sandbox') providers.set(method, sandboxProvider(publicUrl));
    else if (method === 'paystack') {
      providers.set(
        method,
        paystackProvider({
          baseUrl: e.PAYSTACK_BASE_URL,
          secretKey: required(e.PAYSTACK_SECRET_KEY, 'PAYSTACK_SECRET_KEY', method),
        }),
      );
    } else if (method === 'crypto') {
      providers.set(
        method,
        btcpayProvider({
          baseUrl: required(e.BTCPAY_URL, 'BTCPAY_URL', method),
          apiKey: required(e.BTCPAY_API_KEY, 'BTCPAY_API_KEY', method),
          storeId: required(e.BTCPAY_STORE_ID, 'BTCPAY_STORE_ID', method),
          webhookSecret: required(e.BTCPAY_WEBHOOK_SECRET, 'BTCPAY_WEBHOOK_SECRET', method),
          testMode: ['1', 'true'].includes(e.BTCPAY_TEST_MODE),
        }),
      );
    } else throw new AppError('invalid_input', `unknown payment method ${method}: use sandbox, paystack or crypto`);
  }
  return providers;
}
