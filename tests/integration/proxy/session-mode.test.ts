import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl } from '../../support/curl.ts';
import { ENGINES } from '../../support/engines.ts';
import { MINUTE } from '../../support/fake-clock.ts';
import { startHttpOrigin, type Origin } from '../../support/origins.ts';
import { exitsFile, userWithCredits, type ProxyUser } from '../../support/proxy-fixtures.ts';
import { startTestService, type TestService } from '../../support/test-service.ts';
import { startRecordingHttpUpstream, type RecordingUpstream } from '../../support/upstream-proxies.ts';

for (const engine of ENGINES) {
  describe(`sticky or rotating exit identity, seen at the upstream proxy [${engine}]`, () => {
    let service: TestService;
    let origin: Origin;
    let upstream: RecordingUpstream;
    let user: ProxyUser;

    beforeAll(async () => {
      origin = await startHttpOrigin();
      upstream = await startRecordingHttpUpstream();
      const file = await exitsFile([
        { id: 'resi-us', url: `http://cust-{country}-sess-{session}:pw@${upstream.address}`, tags: { country: 'us' } },
      ]);
      service = await startTestService(engine, { ATLANTIC_EXITS_FILE: file });
      user = await userWithCredits(service, '10');
    });
    afterAll(async () => {
      await service?.stop();
      for (const closeable of [origin, upstream]) await closeable?.close();
    });

    async function connect(body: object) {
      const answer = await service.call('POST', '/api/proxy/connect', { token: user.token, body });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      return answer.body;
    }

    /** One new connection through the gateway (curl opens one per run); returns the username the upstream saw. */
    async function fetchThrough(connected: any): Promise<string> {
      const { host, port, username, password } = connected.gateway;
      const before = upstream.seen.length;
      const run = await curl(['-x', `http://${username}:${password}@${host}:${port}`, `${origin.url}/hello`]);
      expect(run, run.stderr).toMatchObject({ code: 0, stdout: 'hello from the origin (plain)\n' });
      expect(upstream.seen).toHaveLength(before + 1);
      return upstream.seen.at(-1)!.username;
    }

    const disconnect = (connected: any) =>
      service.call('POST', '/api/proxy/disconnect', { token: user.token, body: { session_id: connected.session.id } });

    it('sticky keeps one {session} across connections for its lifetime, then renews within the session', async () => {
      const connected = await connect({ country: 'us', session_mode: 'sticky', sticky_minutes: 30 });
      expect(connected).toMatchObject({ session_mode: 'sticky', sticky_minutes: 30 });
      const first = await fetchThrough(connected);
      expect(first).toMatch(/^cust-us-sess-[0-9a-z]+$/);
      expect(await fetchThrough(connected)).toBe(first);
      service.clock.advance(29 * MINUTE);
      expect(await fetchThrough(connected)).toBe(first);
      service.clock.advance(2 * MINUTE); // 31 minutes in: the next lifetime
      const renewed = await fetchThrough(connected);
      expect(renewed).not.toBe(first);
      expect(await fetchThrough(connected)).toBe(renewed);
      await disconnect(connected);
    });

    it('rotating gives every connection a new {session}; the price is the same as sticky', async () => {
      const sticky = await connect({ country: 'us' });
      expect(sticky).toMatchObject({ session_mode: 'sticky', sticky_minutes: 10 });
      await disconnect(sticky);
      const rotating = await connect({ country: 'us', session_mode: 'rotating' });
      expect(rotating).toMatchObject({ session_mode: 'rotating', sticky_minutes: null });
      // The session itself says so, in every view of it.
      expect(rotating.session).toMatchObject({ session_mode: 'rotating', sticky_minutes: null });
      const beat = await service.call('POST', '/api/proxy/heartbeat', {
        token: user.token,
        body: { session_id: rotating.session.id },
      });
      expect(beat.body.session).toMatchObject({ session_mode: 'rotating', sticky_minutes: null });
      const listed = await service.call('GET', '/api/proxy/sessions', { token: user.token });
      expect(listed.body.sessions.map((s: any) => [s.session_mode, s.sticky_minutes])).toEqual([
        ['rotating', null],
        ['sticky', 10],
        ['sticky', 30],
      ]);
      expect(rotating.session.rate_per_hour_micro).toBe(sticky.session.rate_per_hour_micro);
      const seen = [];
      for (let i = 0; i < 5; i++) seen.push(await fetchThrough(rotating));
      expect(new Set(seen).size).toBe(5);
      for (const name of seen) expect(name).toMatch(/^cust-us-sess-[0-9a-z]+$/);
      // Two sessions never share an identity either.
      expect(seen).not.toContain(upstream.seen[0]!.username);
      await disconnect(rotating);
    });

    it('bad modes are refused before any session starts', async () => {
      for (const body of [
        { country: 'us', session_mode: 'shuffle' },
        { country: 'us', session_mode: 'sticky', sticky_minutes: 15 },
        { country: 'us', session_mode: 'rotating', sticky_minutes: 10 },
      ]) {
        const refused = await service.call('POST', '/api/proxy/connect', { token: user.token, body });
        expect(refused.status).toBe(400);
        expect(refused.body.error.code).toBe('invalid_input');
      }
      const { rows } = await service.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM proxy_sessions WHERE user_id = $1 AND status = 'active'`,
        [user.userId],
      );
      expect(rows[0]!.n).toBe(0);
      const locations = await service.call('GET', '/api/locations', { token: user.token });
      expect(locations.body.exit).toMatchObject({ kind: 'upstream', can_rotate: true });
    });
  });
}

describe('the direct exit says it cannot rotate', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('pglite');
  });
  afterAll(async () => service?.stop());

  it('GET /api/locations has can_rotate false and a rotating connect is 400 with the reason; sticky works', async () => {
    const user = await userWithCredits(service, '5');
    const locations = await service.call('GET', '/api/locations', { token: user.token });
    expect(locations.body.exit).toMatchObject({ kind: 'direct', can_rotate: false });
    const refused = await service.call('POST', '/api/proxy/connect', {
      token: user.token,
      body: { country: 'us', session_mode: 'rotating' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('the direct exit cannot rotate');
    const sticky = await service.call('POST', '/api/proxy/connect', {
      token: user.token,
      body: { country: 'us', session_mode: 'sticky', sticky_minutes: 60 },
    });
    expect(sticky.status).toBe(201);
    const { rows } = await service.db.query<{ session_mode: string; sticky_minutes: number }>(
      'SELECT session_mode, sticky_minutes FROM proxy_sessions WHERE id = $1',
      [sticky.body.session.id],
    );
    expect(rows).toEqual([{ session_mode: 'sticky', sticky_minutes: 60 }]);
  });
});
