import { z } from 'zod';
import { providerJson } from '../provider-http.ts';
import type { ProviderReport } from '../provider.ts';

export interface PaystackChargeConfig {
  baseUrl: string;
  secretKey: string;
}

export interface ChargeRequest {
  email: string;
  authorizationCode: string;
  /** Our reference: one per crossing, so a retried call can never charge twice. */
  reference: string;
  amount: number;
  currency: string;
  metadata: Record<string, string>;
}

const charged = z.object({
  status: z.boolean(),
  data: z.object({
    status: z.string(),
    reference: z.string(),
    amount: z.coerce.number(),
    currency: z.string(),
    gateway_response: z.string().nullish(),
  }),
});

/**
 * POST /transaction/charge_authorization: charges a saved card with no customer
 * present. Paystack answers "Charge attempted"; `data.status` says whether it went
 * through ('success'), was declined ('failed') or waits on the bank (anything else).
 */
export async function chargeAuthorization(
  config: PaystackChargeConfig,
  request: ChargeRequest,
): Promise<ProviderReport> {
  const { data } = await providerJson('Paystack', `${config.baseUrl}/transaction/charge_authorization`, charged, {
    method: 'POST',
    headers: { authorization: `Bearer ${config.secretKey}` },
    body: {
      email: request.email,
      authorization_code: request.authorizationCode,
      reference: request.reference,
      amount: request.amount,
      currency: request.currency,
      metadata: request.metadata,
    },
  });
  const status = data.status === 'success' ? 'paid' : data.status === 'failed' ? 'failed' : 'pending';
  return {
    reference: data.reference,
    status,
    amount: data.amount,
    currency: data.currency,
    detail: data.gateway_response ?? data.status,
  };
}
