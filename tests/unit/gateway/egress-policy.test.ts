import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { RequestError } from 'proxy-chain';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.ts';
import { DirectEgress, pinnedLookup } from '../../../server/gateway/direct-egress.ts';
import { EgressPolicy, parseAllowedCidrs } from '../../../server/gateway/egress-policy.ts';

const v4 = (address: string): LookupAddress => ({ address, family: 4 });
const v6 = (address: string): LookupAddress => ({ address, family: 6 });

/** A resolver answering from a fixed table, as a name server under an attacker's control would. */
const resolver = (table: Record<string, LookupAddress[]>) => async (hostname: string) => {
  const answer = table[hostname];
  if (!answer) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return answer;
};

describe('GATEWAY_ALLOW_CIDRS', () => {
  it('reads comma-separated ranges of both families; empty allows none', () => {
    expect(parseAllowedCidrs('')).toEqual([]);
    expect(parseAllowedCidrs(' , ')).toEqual([]);
    const ranges = parseAllowedCidrs('127.0.0.0/8, ::1/128,10.1.2.3/32 ,fd00::/8');
    expect(ranges.map(([network, bits]) => `${network.toString()}/${bits}`)).toEqual([
      '127.0.0.0/8',
      '::1/128',
      '10.1.2.3/32',
      'fd00::/8',
    ]);
    expect(loadConfig({}).gateway.allowedCidrs).toEqual([]);
  });

  it.each(['127.0.0.1', '10.0.0.0/33', '::1/129', 'localhost/8', '0x7f000001/8', '127.1/8', '10.0.0.0/8;', '*'])(
    'stops start-up on "%s" with a message naming it',
    (entry) => {
      const message = `GATEWAY_ALLOW_CIDRS: "${entry}" is not a CIDR range`;
      expect(() => parseAllowedCidrs(`192.168.0.0/16,${entry}`)).toThrow(message);
      expect(() => loadConfig({ GATEWAY_ALLOW_CIDRS: entry })).toThrow(message);
    },
  );
});

describe('EgressPolicy', () => {
  it('permits public addresses; refuses the rest with their class until the allow-list names them', () => {
    const strict = new EgressPolicy([]);
    const open = new EgressPolicy(parseAllowedCidrs('127.0.0.0/8,::1/128,192.168.1.0/24'));
    expect(strict.verdictOf('8.8.8.8')).toEqual({ permitted: true });
    expect(strict.verdictOf('2606:4700::1')).toEqual({ permitted: true });
    const cases: [string, string, boolean][] = [
      ['127.0.0.1', 'loopback', true],
      ['127.3.2.1', 'loopback', true],
      ['::1', 'loopback', true],
      ['::ffff:127.0.0.1', 'loopback', true], // the IPv4 it reaches is allowed
      ['192.168.1.77', 'private', true],
      ['192.168.2.1', 'private', false],
      ['10.0.0.1', 'private', false],
      ['169.254.169.254', 'linkLocal', false],
      ['fe80::1', 'linkLocal', false],
    ];
    for (const [address, addressClass, allowed] of cases) {
      expect(strict.verdictOf(address)).toEqual({ permitted: false, addressClass });
      expect(open.verdictOf(address)).toEqual(allowed ? { permitted: true } : { permitted: false, addressClass });
    }
  });

  it("refuses the gateway host's own public addresses in every spelling, unless allowed", () => {
    const ownAddresses = ['127.0.0.1', '::1', '93.184.216.34', '2606:2800:220:1::1'];
    const strict = new EgressPolicy([], { ownAddresses });
    for (const address of ['93.184.216.34', '::ffff:93.184.216.34', '1572395042', '2606:2800:220:1:0::1']) {
      expect(strict.verdictOf(address)).toEqual({ permitted: false, addressClass: 'thisMachine' });
    }
    expect(strict.verdictOf('93.184.216.35')).toEqual({ permitted: true });
    const allowing = new EgressPolicy(parseAllowedCidrs('93.184.216.34/32'), { ownAddresses });
    expect(allowing.verdictOf('93.184.216.34')).toEqual({ permitted: true });
    // By default the interfaces' addresses: loopback is one, and a name for it is refused like it.
    expect(new EgressPolicy([]).verdictOf('127.0.0.1')).toMatchObject({ permitted: false });
  });

  it('judges a name by what it resolves to, and keeps only the permitted addresses', async () => {
    const policy = new EgressPolicy([], {
      resolve: resolver({
        'rebind.example': [v4('127.0.0.1')],
        'metadata.example': [v4('169.254.169.254')],
        'mixed.example': [v4('10.0.0.5'), v4('93.184.216.34'), v6('::1'), v6('2606:2800:220:1::1')],
      }),
    });
    expect(await policy.resolve('rebind.example')).toEqual({
      permitted: false,
      address: '127.0.0.1',
      addressClass: 'loopback',
    });
    expect(await policy.resolve('metadata.example')).toMatchObject({ permitted: false, addressClass: 'linkLocal' });
    expect(await policy.resolve('mixed.example')).toEqual({
      permitted: true,
      addresses: [v4('93.184.216.34'), v6('2606:2800:220:1::1')],
    });
    expect(await policy.resolve('nowhere.example')).toMatchObject({
      permitted: 'unresolved',
      error: { code: 'ENOTFOUND' },
    });
  });

  it('reads IP literals in every spelling without asking a resolver', async () => {
    const policy = new EgressPolicy([], { resolve: () => Promise.reject(new Error('no resolver should be asked')) });
    for (const host of ['127.0.0.1', '2130706433', '0x7f000001', '0177.0.0.1', '127.1', '[::1]', '[::ffff:7f00:1]']) {
      expect(await policy.resolve(host)).toMatchObject({ permitted: false, addressClass: 'loopback' });
    }
    expect(await policy.resolve('[2606:4700::1111]')).toEqual({ permitted: true, addresses: [v6('2606:4700::1111')] });
    const allowed = new EgressPolicy(parseAllowedCidrs('127.0.0.0/8'));
    expect(await allowed.resolve('0x7f000001')).toEqual({ permitted: true, addresses: [v4('127.0.0.1')] });
  });
});

/** Calls a lookup the way net.connect does and returns what it answered. */
function ask(lookup: LookupFunction, options: { all?: boolean; family?: number }) {
  return new Promise<{ error: Error | null; address: unknown; family: unknown }>((resolve) =>
    lookup('any.example', options, (error, address, family) => resolve({ error, address, family })),
  );
}

describe('pinnedLookup', () => {
  const lookup = pinnedLookup({ permitted: true, addresses: [v4('93.184.216.34'), v6('2606:2800:220:1::1')] });

  it('answers from the checked addresses only, in the form asked for', async () => {
    expect(await ask(lookup, { all: true })).toMatchObject({
      error: null,
      address: [v4('93.184.216.34'), v6('2606:2800:220:1::1')],
    });
    expect(await ask(lookup, {})).toMatchObject({ address: '93.184.216.34', family: 4 });
    expect(await ask(lookup, { family: 6 })).toMatchObject({ address: '2606:2800:220:1::1', family: 6 });
    const v4Only = pinnedLookup({ permitted: true, addresses: [v4('93.184.216.34')] });
    expect((await ask(v4Only, { family: 6 })).error).toMatchObject({ code: 'ENOTFOUND' });
  });

  it('replays a failed resolution, so the connect fails as before', async () => {
    const error = Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' });
    expect((await ask(pinnedLookup({ permitted: 'unresolved', error }), { all: true })).error).toBe(error);
  });
});

describe('DirectEgress', () => {
  it('refuses with 403 destination_forbidden, logs each refusal with a running count per session', async () => {
    const logged: object[] = [];
    const egress = new DirectEgress(
      new EgressPolicy([], {
        resolve: resolver({ 'localhost.example': [v4('127.0.0.1')], 'site.example': [v4('93.184.216.34')] }),
      }),
      { warn: (details) => logged.push(details) },
    );
    const refused = await egress.lookupFor('s1', 'localhost.example', 5432).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RequestError);
    expect(refused).toMatchObject({
      statusCode: 403,
      headers: { 'x-atlantic-refusal': 'destination_forbidden' },
      message: 'Atlantic Proxy does not connect to localhost.example: only public internet addresses are reachable.',
    });
    // The client learns neither the address nor its class.
    expect((refused as Error).message).not.toMatch(/127|loopback/);
    await expect(egress.lookupFor('s1', '[::1]', 80)).rejects.toThrow(RequestError);
    await expect(egress.lookupFor('s2', '10.0.0.1', 80)).rejects.toThrow(RequestError);
    await expect(egress.lookupFor('s1', 'site.example', 80)).resolves.toBeTypeOf('function');
    expect([egress.refusalsOf('s1'), egress.refusalsOf('s2'), egress.refusalsOf('s3')]).toEqual([2, 1, 0]);
    expect(logged).toEqual([
      {
        sessionId: 's1',
        destination: 'localhost.example:5432',
        address: '127.0.0.1',
        addressClass: 'loopback',
        refusals: 1,
      },
      { sessionId: 's1', destination: '[::1]:80', address: '::1', addressClass: 'loopback', refusals: 2 },
      { sessionId: 's2', destination: '10.0.0.1:80', address: '10.0.0.1', addressClass: 'private', refusals: 1 },
    ]);
    egress.forget('s1');
    expect(egress.refusalsOf('s1')).toBe(0);

    // A session scanning the network: every refusal counted, the log thinned out past the first eight.
    logged.length = 0;
    for (let i = 0; i < 40; i++) await egress.lookupFor('s3', `10.0.0.${i}`, 22).catch(() => undefined);
    expect(egress.refusalsOf('s3')).toBe(40);
    expect(logged.map((details) => (details as { refusals: number }).refusals)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 16, 32,
    ]);
  });
});
