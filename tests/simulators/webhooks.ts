import { createHmac, randomInt } from 'node:crypto';

/** One POST of a webhook body, and how the receiver answered it. */
export interface Delivery {
  /** The provider's event name: charge.success, InvoiceSettled… */
  type: string;
  url: string;
  /** The exact bytes sent (and signed). */
  rawBody: string;
  headers: Record<string, string>;
  /** The receiver's HTTP status; null when no answer came (refused, reset, timed out). */
  status: number | null;
  error?: string;
  startedAt: number;
  endedAt: number;
}

export interface RepeatOptions {
  /** How many times to send; default 1. */
  times?: number;
  /** Send all at once (one connection each) instead of one after the other. */
  concurrent?: boolean;
}

export function hmacHex(algorithm: 'sha256' | 'sha512', key: string, rawBody: string): string {
  return createHmac(algorithm, key).update(rawBody, 'utf8').digest('hex');
}

/** POSTs a body as is. Never throws for the receiver's sake: a failed delivery is a result to record. */
export async function postWebhook(
  url: string,
  type: string,
  rawBody: string,
  headers: Record<string, string>,
  timeoutMs = 10_000,
): Promise<Delivery> {
  const startedAt = Date.now();
  const base = { type, url, rawBody, headers, startedAt };
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body: Buffer.from(rawBody, 'utf8'),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer(); // drain, so the connection is released
    return { ...base, status: response.status, endedAt: Date.now() };
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    return { ...base, status: null, error: String(cause ?? error), endedAt: Date.now() };
  }
}

/** Runs send `times` times, sequentially or all at once; results keep the call order. */
export async function repeat<T>(send: (index: number) => Promise<T>, options: RepeatOptions = {}): Promise<T[]> {
  const times = options.times ?? 1;
  if (!Number.isInteger(times) || times < 1) throw new Error(`times must be a positive integer, got ${times}`);
  if (options.concurrent) return Promise.all(Array.from({ length: times }, (_, i) => send(i)));
  const results: T[] = [];
  for (let i = 0; i < times; i++) results.push(await send(i));
  return results;
}

/** Keeps fire-and-forget work (asynchronous webhooks) awaitable, so tests and stop() can wait for it. */
export class PendingWork {
  readonly #pending = new Set<Promise<unknown>>();
  readonly #errors: unknown[] = [];

  track(work: Promise<unknown>): void {
    const settled = work.then(
      () => undefined,
      (error: unknown) => void this.#errors.push(error),
    );
    this.#pending.add(settled);
    void settled.finally(() => this.#pending.delete(settled));
  }

  /** Waits for all tracked work; rethrows the first failure, so it cannot go unnoticed. */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
    const error = this.#errors.shift();
    this.#errors.length = 0;
    if (error !== undefined) throw error;
  }
}

/** The body to resend: a past delivery's bytes, a raw body as is, or an event object serialized. */
export function rawBodyOf(target: Delivery | string | object, serialize: (event: object) => string): string {
  if (typeof target === 'string') return target;
  const rawBody = (target as Partial<Delivery>).rawBody;
  return typeof rawBody === 'string' ? rawBody : serialize(target);
}

/** A top-level string field of a JSON body (the event name), or 'unknown'. */
export function jsonField(rawBody: string, field: string): string {
  try {
    const value = (JSON.parse(rawBody) as Record<string, unknown>)[field];
    return typeof value === 'string' ? value : 'unknown';
  } catch {
    return 'unknown';
  }
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** Random id in the alphabet BTCPay uses for invoice and delivery ids. */
export function base58Id(length = 22): string {
  let id = '';
  for (let i = 0; i < length; i++) id += BASE58[randomInt(BASE58.length)];
  return id;
}

export function alphanumericId(length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let id = '';
  for (let i = 0; i < length; i++) id += alphabet[randomInt(alphabet.length)];
  return id;
}
