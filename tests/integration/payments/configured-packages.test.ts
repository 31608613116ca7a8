import { spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../../server/ledger/verify-ledger.ts';
import { ENGINES } from '../../support/engines.ts';
import { startTestService } from '../../support/test-service.ts';
import { PaymentsWorld } from './payments-world.ts';

const OPERATOR_PACKAGES = {
  packages: [
    { id: 'trial', price: 3, credits: 3 },
    { id: 'naira-pack', price: '4500.50', currency: 'NGN', credits: '4.5', bonus: 0.25 },
    { id: 'pro', price: 40, credits: 40, bonus: 8, popular: true },
  ],
};

async function packagesFile(content: unknown): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'atlantic-packages-')), 'packages.json');
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

for (const engine of ENGINES) {
  describe(`packages from the operator's configuration, end to end [${engine}]`, () => {
    let world: PaymentsWorld;
    beforeAll(async () => {
      world = await PaymentsWorld.start(engine, { ATLANTIC_PACKAGES_FILE: await packagesFile(OPERATOR_PACKAGES) });
    });
    afterAll(async () => world?.stop());

    it('GET /api/credits/packages lists exactly the configured packages, prices, currencies, bonus and popular', async () => {
      const user = await world.signUp();
      const { status, body } = await world.service.call('GET', '/api/credits/packages', { token: user.token });
      expect(status).toBe(200);
      expect(body.packages.map((p: any) => [p.id, p.price_cents, p.currency, p.credits_micro, p.bonus_micro])).toEqual([
        ['trial', 300, 'USD', 3_000_000, 0],
        ['naira-pack', 450_050, 'NGN', 4_500_000, 250_000],
        ['pro', 4_000, 'USD', 40_000_000, 8_000_000],
      ]);
      expect(body.packages.filter((p: any) => p.popular).map((p: any) => p.id)).toEqual(['pro']);
    });

    it('a configured package is bought and credited with its bonus; a default package no longer exists', async () => {
      const user = await world.signUp();
      const bought = await world.service.call('POST', '/api/credits/purchase', {
        token: user.token,
        body: { package_id: 'pro', method: 'sandbox' },
      });
      expect(bought.status, JSON.stringify(bought.body)).toBe(201);
      expect(bought.body).toMatchObject({ amount_cents: 4_000, currency: 'USD', credits: 40, bonus: 8 });
      const paid = await world.service.call('POST', `${new URL(bought.body.checkout_url).pathname}/pay`, {
        raw: '',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(paid.status).toBe(200);
      expect(await world.balance(user)).toBe(48_000_000);

      await world.expectNoChange(async () => {
        const gone = await world.service.call('POST', '/api/credits/purchase', {
          token: user.token,
          body: { amount: 25, method: 'sandbox' },
        });
        expect(gone.status).toBe(400);
        expect(gone.body.error.code).toBe('unknown_package');
      });
    });

    it('a package priced in NGN is charged at Paystack in NGN, in kobo', async () => {
      const user = await world.signUp();
      const bought = await world.service.call('POST', '/api/credits/purchase', {
        token: user.token,
        body: { package_id: 'naira-pack', method: 'paystack' },
      });
      expect(bought.status, JSON.stringify(bought.body)).toBe(201);
      const { rows } = await world.db.query<{ provider_reference: string }>(
        'SELECT provider_reference FROM payments WHERE id = $1',
        [bought.body.payment_id],
      );
      const reference = rows[0]!.provider_reference;
      expect(world.paystack.transaction(reference)).toMatchObject({ amount: 450_050, currency: 'NGN' });
      expect((await world.paystack.pay(reference))?.status).toBe(200);
      expect(await world.balance(user)).toBe(4_750_000);
      expect(await verifyLedger(world.db)).toEqual([]);
    });
  });
}

describe('invalid packages stop the service at start, saying where and why', () => {
  const cases: [string, Record<string, string>, string][] = [
    [
      'empty list',
      { ATLANTIC_PACKAGES: '[]' },
      'invalid packages in ATLANTIC_PACKAGES: packages: at least one package',
    ],
    ['not JSON', { ATLANTIC_PACKAGES: '{oops' }, 'invalid packages in ATLANTIC_PACKAGES: not JSON'],
    [
      'negative credits',
      { ATLANTIC_PACKAGES: '[{"id":"a","price":5,"credits":-5}]' },
      'invalid packages in ATLANTIC_PACKAGES: 0.credits: credits: a number ≥ 0',
    ],
    [
      'price with three decimals',
      { ATLANTIC_PACKAGES: '[{"id":"a","price":"5.001","credits":5}]' },
      '0.price: price: a positive amount with at most 2 decimals',
    ],
    [
      'lower-case currency',
      { ATLANTIC_PACKAGES: '[{"id":"a","price":5,"credits":5,"currency":"usd"}]' },
      '0.currency: currency: a 3-letter ISO 4217 code',
    ],
    [
      'an unknown field',
      { ATLANTIC_PACKAGES: '[{"id":"a","price":5,"credits":5,"bonus_credits":1}]' },
      'bonus_credits',
    ],
    [
      'two packages, one id',
      { ATLANTIC_PACKAGES: '[{"id":"a","price":5,"credits":5},{"id":"a","price":6,"credits":6}]' },
      'package a is listed twice',
    ],
    [
      'two popular',
      {
        ATLANTIC_PACKAGES:
          '[{"id":"a","price":5,"credits":5,"popular":true},{"id":"b","price":6,"credits":6,"popular":true}]',
      },
      'at most one package is "popular"',
    ],
    [
      'both variables',
      { ATLANTIC_PACKAGES: '[{"id":"a","price":5,"credits":5}]', ATLANTIC_PACKAGES_FILE: '/x.json' },
      'set ATLANTIC_PACKAGES or ATLANTIC_PACKAGES_FILE, not both',
    ],
    [
      'missing file',
      { ATLANTIC_PACKAGES_FILE: '/nonexistent/packages.json' },
      'invalid packages in ATLANTIC_PACKAGES_FILE /nonexistent/packages.json: ENOENT',
    ],
  ];
  for (const [name, env, message] of cases) {
    it(name, async () => {
      await expect(startTestService('pglite', env)).rejects.toThrow(message);
    });
  }

  it('`npm run server` exits non-zero with the message, before opening anything', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: new URL('../../../', import.meta.url).pathname,
      env: { ...process.env, PORT: '0', GATEWAY_PORT: '0', ATLANTIC_PACKAGES: '[{"id":"a","price":0,"credits":5}]' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('invalid packages in ATLANTIC_PACKAGES: 0.price');
  });
});
