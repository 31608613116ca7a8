import { expect } from 'vitest';
import { costOver } from '../../shared/money.ts';

/** A client of a service that may be down: JSON over fetch, connection failures as `null`. */
export async function callJson(
  url: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<{ status: number; body: any } | null> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  try {
    const response = await fetch(url + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(5_000),
    });
    return { status: response.status, body: await response.json().catch(() => null) };
  } catch {
    return null;
  }
}

/** Buys `amount` dollars of credits through the sandbox checkout, paying at once. */
export async function buyWithSandbox(url: string, token: string, amount = 5): Promise<void> {
  const purchase = await callJson(url, 'POST', '/api/credits/purchase', token, { amount, method: 'sandbox' });
  expect(purchase?.status).toBe(201);
  const paid = await callJson(url, 'POST', `${new URL(purchase!.body.checkout_url).pathname}/pay`);
  expect(paid?.status).toBe(200);
}

/** Connects, and answers the session and its gateway credentials. */
export async function connect(url: string, token: string, targeting: object = { country: 'US' }) {
  const answer = await callJson(url, 'POST', '/api/proxy/connect', token, targeting);
  expect(answer?.status, JSON.stringify(answer?.body)).toBe(201);
  return answer!.body as { session: { id: string; started_at: string }; gateway: any };
}

/**
 * Heartbeats every `everyMs` as the app does, and keeps trying through an
 * outage (failures are ignored). Returns how to stop it.
 */
export function keepHeartbeating(url: () => string, token: string, sessionId: string, everyMs: number): () => void {
  let stopped = false;
  void (async () => {
    while (!stopped) {
      const started = Date.now();
      await callJson(url(), 'POST', '/api/proxy/heartbeat', token, { session_id: sessionId });
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, everyMs - (Date.now() - started))));
    }
  })();
  return () => {
    stopped = true;
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A session through an outage: up from its start until `downAt`, and again from
 * `upAt` until it ended. Its charge must be the rate over those seconds, within one.
 */
export function expectChargedForServed(
  ended: { started_at: string; ended_at: string; cost_micro: number },
  outage: { downAt: number; upAt: number },
  ratePerHour: bigint,
): bigint {
  const served = outage.downAt - Date.parse(ended.started_at) + (Date.parse(ended.ended_at) - outage.upAt);
  const charged = BigInt(ended.cost_micro);
  const expected = costOver(ratePerHour, BigInt(served));
  const oneSecond = costOver(ratePerHour, 1_000n);
  expect(charged > expected - oneSecond && charged < expected + oneSecond, `${charged} vs ${expected}`).toBe(true);
  return charged;
}
