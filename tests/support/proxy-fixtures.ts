import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { BillingClient } from '../../electron/core/billing/billing-client.ts';
import { startProxyClient, type ProxyClient } from '../../electron/core/proxy-client.ts';
import { adjustBalance } from '../../server/ledger/admin-adjustment.ts';
import { credits } from '../../shared/money.ts';
import type { TestService } from './test-service.ts';

export interface ProxyUser {
  token: string;
  userId: string;
  billing: BillingClient;
}

/** A signed-up user holding `amount` credits, with a billing client of their own. */
export async function userWithCredits(service: TestService, amount: string): Promise<ProxyUser> {
  const registered = await service.call('POST', '/api/auth/register', {
    body: { email: `${randomUUID()}@proxy.test`, password: 'correct horse battery' },
  });
  expect(registered.status).toBe(201);
  const token = registered.body.token as string;
  const userId = registered.body.user.id as string;
  if (credits(amount) > 0n) {
    await adjustBalance(service.db, {
      userId,
      amount: credits(amount),
      reason: 'proxy test funds',
      by: { adminId: null, name: 'test' },
    });
  }
  return { token, userId, billing: new BillingClient({ baseUrl: service.url, token: () => token }) };
}

/** The client core (connection manager + local proxy on a free loopback port) for this user. */
export function clientFor(user: ProxyUser): Promise<ProxyClient> {
  return startProxyClient({ billing: user.billing, port: 0 });
}

/** Writes an exits file and returns its path, for ATLANTIC_EXITS_FILE. */
export async function exitsFile(exits: unknown): Promise<string> {
  const file = join(tmpdir(), `atlantic-exits-${randomUUID()}.json`);
  await writeFile(file, JSON.stringify(exits));
  return file;
}
