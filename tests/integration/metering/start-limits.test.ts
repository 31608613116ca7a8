import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../shared/errors.ts';
import { credit } from '../../../server/ledger/ledger.ts';
import { DEFAULT_METERING } from '../../../server/metering/config.ts';
import { startSession } from '../../../server/sessions/sessions.ts';
import { describeEachEngine } from '../../support/engines.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { userWithBalance } from '../../support/fixtures.ts';
import { startTestService, type TestService } from '../../support/test-service.ts';

const country = (code: string) => ({ country: code });

async function expectRefusal(start: Promise<unknown>, code: string, details: Record<string, unknown>) {
  const error = await start.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isAppError(error, code as never), String(error)).toBe(true);
  expect((error as { details: unknown }).details).toMatchObject(details);
}

describeEachEngine('starting a session: one balance for all of a user’s sessions', (db) => {
  const clock = new FakeClock();

  it('needs an hour of every live session together, the new one included', async () => {
    const userId = await userWithBalance(db(), '0.75');
    await startSession(db(), { userId, targeting: country('us'), now: clock.now() });
    await expectRefusal(
      startSession(db(), { userId, targeting: country('de'), now: clock.now() }),
      'insufficient_credits',
      { needed: 1_000_000, balance: 750_000, live_sessions: 1 },
    );
  });

  it('refuses more live sessions than the cap, with its own code', async () => {
    const userId = await userWithBalance(db(), '100');
    const config = { ...DEFAULT_METERING, maxLiveSessions: 3 };
    for (const code of ['us', 'de', 'gb']) {
      await startSession(db(), { userId, targeting: country(code), now: clock.now() }, config);
    }
    await expectRefusal(
      startSession(db(), { userId, targeting: country('fr'), now: clock.now() }, config),
      'too_many_sessions',
      { live_sessions: 3, max_live_sessions: 3 },
    );
  });
});

describe('parallel connects cannot outrun the balance [postgres]', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('postgres');
  });
  afterAll(async () => service?.stop());

  it('20 parallel connects on a 0.60 balance start exactly one session, and a 21st afterwards none', async () => {
    const { body } = await service.call('POST', '/api/auth/register', {
      body: { email: 'parallel@example.com', password: 'correct horse battery' },
    });
    const token = body.token as string;
    const me = await service.call('GET', '/api/auth/me', { token });
    await credit(service.db, { userId: me.body.id, kind: 'adjustment', amount: 600_000n, idempotencyKey: 'funds' });

    const connect = () => service.call('POST', '/api/proxy/connect', { token, body: { country: 'US' } });
    const answers = await Promise.all(Array.from({ length: 20 }, connect));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    for (const refused of answers.filter((a) => a.status !== 201)) {
      expect(refused.status).toBe(402);
      expect(refused.body.error).toMatchObject({ code: 'insufficient_credits' });
    }
    expect((await connect()).status).toBe(402);
    const live = await service.call('GET', '/api/proxy/sessions?status=active', { token });
    expect(live.body.sessions).toHaveLength(1);
  });
});
