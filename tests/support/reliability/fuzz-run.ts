import fc from 'fast-check';
import type { Engine } from '../../../server/db/types.ts';
import { buyWithSandbox } from '../billed-client.ts';
import { startTestService, type TestService } from '../test-service.ts';
import { requestsFromOpenApi, type FuzzRequest } from './fuzz-requests.ts';

export interface FuzzResult {
  engine: Engine;
  seed: number;
  cases: number;
  fiveXX: number;
  /** Refusals not in the {error:{code,message}} shape. */
  badShape: number;
  /** Refused requests after which a wallet, entry, payment or session had changed. */
  rejectedChanges: number;
  /** A few of the failures, to say what happened. */
  examples: string[];
}

// Everything a request could change, in one value: compared before and after each refused request.
const FINGERPRINT = `
SELECT (SELECT COALESCE(string_agg(user_id || ':' || balance || ':' || total_purchased || ':' || total_spent, ',' ORDER BY user_id), '') FROM wallets)
    || '|' || (SELECT count(*) FROM ledger_entries)
    || '|' || (SELECT COALESCE(string_agg(id || status, ',' ORDER BY id), '') FROM payments)
    || '|' || (SELECT COALESCE(string_agg(id || status || charged_total, ',' ORDER BY id), '') FROM proxy_sessions)
    || '|' || (SELECT count(*) FROM users) AS state`;

const isErrorShape = (body: any) =>
  typeof body === 'object' &&
  body !== null &&
  typeof body.error?.code === 'string' &&
  typeof body.error?.message === 'string' &&
  Object.keys(body).length === 1;

async function signUp(service: TestService, name: string): Promise<{ token: string; userId: string }> {
  const { body } = await service.call('POST', '/api/auth/register', {
    body: { email: `${name}@fuzz.example`, password: 'correct horse battery' },
  });
  return { token: body.token, userId: body.user.id };
}

/**
 * Requests generated from the service's own OpenAPI document (fast-check, fixed
 * seed), sent over real HTTP with no token, a forged one, a revoked one, the
 * user's own and another user's: none may answer 5xx, every refusal must be in
 * the error shape, and no refused request may change anything.
 */
export async function fuzzRun(engine: Engine, cases: number, seed: number, serverUrl?: string): Promise<FuzzResult> {
  const service = await startTestService(engine, {}, serverUrl);
  try {
    const a = await signUp(service, 'alice');
    const b = await signUp(service, 'bob');
    const gone = await signUp(service, 'carol');
    await service.call('POST', '/api/auth/logout', { token: gone.token });
    const ids: string[] = [a.userId, b.userId];
    for (const user of [a, b]) {
      await buyWithSandbox(service.url, user.token);
      const pending = await service.call('POST', '/api/credits/purchase', { token: user.token, body: { amount: 10 } });
      const session = await service.call('POST', '/api/proxy/connect', { token: user.token, body: { country: 'US' } });
      ids.push(pending.body.payment_id, session.body.session.id);
    }
    const tokens = [null, 'forged-0123456789abcdef', gone.token, a.token, b.token];
    const doc = (await service.call('GET', '/api/openapi.json')).body;
    const requests = fc.sample(requestsFromOpenApi(doc, tokens.length, fc.constantFrom(...ids)), {
      seed,
      numRuns: cases,
    });

    const result: FuzzResult = { engine, seed, cases, fiveXX: 0, badShape: 0, rejectedChanges: 0, examples: [] };
    const state = async () => (await service.db.query<{ state: string }>(FINGERPRINT)).rows[0]!.state;
    let before = await state();
    const fail = (kind: string, request: FuzzRequest, status: number, body: unknown) => {
      if (result.examples.length < 10) {
        const shown = JSON.stringify(body)?.slice(0, 200);
        result.examples.push(`${kind}: ${request.method} ${request.path.slice(0, 120)} → ${status} ${shown}`);
      }
    };
    for (const request of requests) {
      const token = tokens[request.token];
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (request.contentType) headers['content-type'] = request.contentType;
      const response = await fetch(service.url + request.path, {
        method: request.method,
        headers,
        body: request.body ?? undefined,
      });
      // An accepted stream (the wallet's server-sent events) never ends: its status is the answer.
      const streaming = response.ok && response.headers.get('content-type')?.startsWith('text/event-stream');
      if (streaming) await response.body?.cancel();
      const text = streaming ? '' : await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: a shape failure if it is a refusal
      }
      if (response.status >= 500) {
        result.fiveXX += 1;
        fail('5xx', request, response.status, body);
      }
      if (response.status >= 400) {
        if (!isErrorShape(body)) {
          result.badShape += 1;
          fail('shape', request, response.status, body);
        }
        const after = await state();
        if (after !== before) {
          result.rejectedChanges += 1;
          fail('changed', request, response.status, body);
        }
        before = after;
      } else {
        before = await state();
      }
    }
    return result;
  } finally {
    await service.stop();
  }
}
