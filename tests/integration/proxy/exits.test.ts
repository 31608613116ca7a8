import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyClient } from '../../../electron/core/proxy-client.ts';
import { curl } from '../../support/curl.ts';
import { ENGINES } from '../../support/engines.ts';
import { startHttpOrigin, type Origin } from '../../support/origins.ts';
import { clientFor, exitsFile, userWithCredits, type ProxyUser } from '../../support/proxy-fixtures.ts';
import { startTestService, type TestService } from '../../support/test-service.ts';
import {
  startRecordingHttpUpstream,
  startRecordingSocksUpstream,
  type RecordingUpstream,
} from '../../support/upstream-proxies.ts';

for (const engine of ENGINES) {
  describe(`exits chosen by the session's targeting [${engine}]`, () => {
    let service: TestService;
    let origin: Origin;
    let newYork: RecordingUpstream;
    let losAngeles: RecordingUpstream;
    let socks: RecordingUpstream;
    let user: ProxyUser;
    let client: ProxyClient;

    beforeAll(async () => {
      origin = await startHttpOrigin();
      newYork = await startRecordingHttpUpstream();
      losAngeles = await startRecordingHttpUpstream();
      socks = await startRecordingSocksUpstream();
      const file = await exitsFile({
        exits: [
          {
            id: 'resi-new-york',
            url: `http://user-country-{country}-city-{city}:pw@${newYork.address}`,
            tags: { country: 'US', state: 'New York', city: 'New York' },
          },
          {
            id: 'resi-la',
            url: `http://la-user:la-pw@${losAngeles.address}`,
            tags: { country: 'us', state: 'California', city: 'Los Angeles' },
          },
          // No state tag: the catalog files Chicago under Illinois, as the default catalog does.
          {
            id: 'resi-chicago',
            url: `http://chi-{session}:pw@${losAngeles.address}`,
            tags: { country: 'us', city: 'Chicago' },
          },
          { id: 'socks-de', url: `socks5://${socks.address}`, tags: { country: 'de' } },
          { id: 'here-fr', url: 'direct', tags: { country: 'fr', isp: 'Orange' } },
        ],
      });
      service = await startTestService(engine, { ATLANTIC_EXITS_FILE: file });
      user = await userWithCredits(service, '10');
      client = await clientFor(user);
    });
    afterAll(async () => {
      await client?.close();
      await service?.stop();
      for (const closeable of [origin, newYork, losAngeles, socks]) await closeable?.close();
    });

    it('GET /api/locations serves exactly what the exits cover, and says the exits are upstream', async () => {
      const { status, body } = await service.call('GET', '/api/locations', { token: user.token });
      expect(status).toBe(200);
      expect(body.exit.kind).toBe('upstream');
      expect(body.countries).toEqual([
        {
          code: 'us',
          name: 'United States',
          states: [
            { name: 'New York', cities: ['New York'] },
            { name: 'California', cities: ['Los Angeles'] },
            { name: 'Illinois', cities: ['Chicago'] },
          ],
          isps: [],
        },
        { code: 'de', name: 'Germany', states: [], isps: [] },
        { code: 'fr', name: 'France', states: [], isps: ['Orange'] },
      ]);
      const houston = await service.call('POST', '/api/proxy/connect', {
        token: user.token,
        body: { country: 'us', city: 'Houston' },
      });
      expect(houston.status).toBe(400);
      expect(houston.body.error.code).toBe('unknown_location');
    });

    it('a session for city A only ever reaches upstream A, with the templated username', async () => {
      await client.manager.connect({ country: 'us', city: 'new york' });
      const local = `127.0.0.1:${client.port}`;
      for (const args of [
        ['-x', `http://${local}`],
        ['--socks5-hostname', local],
        ['-p', '-x', `http://${local}`],
      ]) {
        expect(await curl([...args, `${origin.url}/hello`])).toMatchObject({
          code: 0,
          stdout: 'hello from the origin (plain)\n',
        });
      }
      expect(newYork.seen).toHaveLength(3);
      for (const seen of newYork.seen) {
        expect(seen).toEqual({
          username: 'user-country-us-city-new_york',
          password: 'pw',
          target: `127.0.0.1:${origin.port}`,
        });
      }
      expect(losAngeles.seen).toHaveLength(0);
    });

    it('a client cannot pick another location by changing its request', async () => {
      const state = client.manager.state;
      if (state.status !== 'connected') throw new Error('expected a live session');
      const { gateway } = state;
      const local = `127.0.0.1:${client.port}`;
      const asIfLosAngeles = [
        '--proxy-user', 'user-country-us-city-los_angeles:la-pw',
        '--proxy-header', 'X-Atlantic-City: Los Angeles',
        '--proxy-header', 'X-Exit: resi-la',
        '-H', 'X-Atlantic-City: Los Angeles',
      ]; // prettier-ignore
      // Through the local proxy: its own credentials are replaced by the session's.
      expect((await curl(['-x', `http://${local}`, ...asIfLosAngeles, `${origin.url}/hello`])).code).toBe(0);
      expect((await curl(['-p', '-x', `http://${local}`, ...asIfLosAngeles, `${origin.url}/hello`])).code).toBe(0);
      // Straight at the gateway with the session's credentials and the same extra headers.
      const atGateway = [
        '-x',
        `http://${gateway.host}:${gateway.port}`,
        '--proxy-user',
        `${gateway.username}:${gateway.password}`,
      ];
      const extra = asIfLosAngeles.slice(2);
      expect((await curl([...atGateway, ...extra, `${origin.url}/hello`])).code).toBe(0);
      expect((await curl(['-p', ...atGateway, ...extra, `${origin.url}/hello`])).code).toBe(0);
      // Narrowing the username is just a wrong username.
      const narrowed = await curl([
        '-x', `http://${gateway.host}:${gateway.port}`, '--proxy-user', `${gateway.username}-city-los_angeles:${gateway.password}`,
        '-w', '%{http_code}', '-o', '/dev/null', `${origin.url}/hello`,
      ]); // prettier-ignore
      expect(narrowed.stdout).toBe('407');

      expect(losAngeles.seen).toHaveLength(0);
      expect(newYork.seen.map((s) => s.username)).toEqual(Array(7).fill('user-country-us-city-new_york'));
      await client.manager.disconnect();
    });

    it('the other city reaches its own upstream; {session} fills in the session’s sticky identity', async () => {
      await client.manager.connect({ country: 'us', city: 'Los Angeles' });
      expect((await curl(['-x', `http://127.0.0.1:${client.port}`, `${origin.url}/hello`])).code).toBe(0);
      await client.manager.disconnect();
      const chicago = await client.manager.connect({ country: 'us', state: 'Illinois', city: 'Chicago' });
      if (chicago.status !== 'connected') throw new Error('expected a live session');
      expect((await curl(['-x', `http://127.0.0.1:${client.port}`, `${origin.url}/hello`])).code).toBe(0);
      await client.manager.disconnect();
      const sticky = `chi-${chicago.session.id.replaceAll('-', '').slice(0, 20)}s0`;
      expect(losAngeles.seen.map((s) => s.username)).toEqual(['la-user', sticky]);
      expect(newYork.seen).toHaveLength(7);
    });

    it('a socks5:// exit gets the hostname, resolved beyond the client', async () => {
      await client.manager.connect({ country: 'de' });
      const fetched = await curl([
        '--socks5-hostname', `127.0.0.1:${client.port}`, `http://localhost:${origin.port}/hello`,
      ]); // prettier-ignore
      expect(fetched).toMatchObject({ code: 0, stdout: 'hello from the origin (plain)\n' });
      expect(socks.seen.map((s) => s.target)).toEqual([`localhost:${origin.port}`]);
      await client.manager.disconnect();
    });
  });
}
