import type { z } from 'zod';
import { AppError } from '../../shared/errors.ts';

const TIMEOUT_MS = 15_000;

/**
 * One JSON call to a payment provider: a timeout, and any failure (network,
 * non-2xx, an answer we don't understand) becomes `provider_unavailable`.
 */
export async function providerJson<T extends z.ZodType>(
  provider: string,
  url: string,
  schema: T,
  init: { method?: string; body?: unknown; headers?: Record<string, string> },
): Promise<z.infer<T>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method ?? 'GET',
      headers: {
        accept: 'application/json',
        ...(init.body !== undefined && { 'content-type': 'application/json' }),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new AppError('provider_unavailable', `${provider} could not be reached: ${(error as Error).message}`);
  }
  const text = await response.text();
  if (!response.ok) throw new AppError('provider_unavailable', `${provider} answered ${response.status}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('provider_unavailable', `${provider} answered something that is not JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new AppError('provider_unavailable', `${provider} answered in an unexpected shape`);
  return parsed.data;
}
