import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG } from '../../../server/locations/default-catalog.ts';
import { catalogOf } from '../../../server/locations/exit-catalog.ts';
import { exitSupplyOf, parseExits, THIS_MACHINE } from '../../../server/locations/exit-supply.ts';
import { placeholderValue, upstreamUrlFor } from '../../../server/locations/exit-url.ts';
import type { Exit } from '../../../server/locations/exits.ts';
import { pickExit } from '../../../server/locations/pick-exit.ts';

const SESSION = '6f1c1d7e-4a59-4f7e-9d8c-2f0d6f3b9a11';

const exits: Exit[] = [
  { id: 'us-any', url: 'http://u:p@10.0.0.1:1', tags: { country: 'us' } },
  { id: 'us-templated', url: 'http://user-country-{country}-city-{city}:pw@10.0.0.2:2', tags: { country: 'us' } },
  { id: 'ny', url: 'http://ny:p@10.0.0.3:3', tags: { country: 'us', state: 'New York', city: 'New York' } },
  { id: 'la', url: 'socks5://10.0.0.4:4', tags: { country: 'us', state: 'California', city: 'Los Angeles' } },
  { id: 'comcast', url: 'http://isp-{isp}:p@10.0.0.5:5', tags: { country: 'us', isp: 'Comcast' } },
  { id: 'fr', url: 'direct', tags: { country: 'fr' } },
];

describe('exit URL placeholders', () => {
  it('fill in lower case, spaces as underscores, percent-encoded inside the URL', () => {
    expect(upstreamUrlFor(exits[1]!, { country: 'us', city: 'New York' }, SESSION)).toBe(
      'http://user-country-us-city-new_york:pw@10.0.0.2:2',
    );
    expect(placeholderValue('AT&T')).toBe('at%26t');
    expect(placeholderValue("Provence-Alpes-Côte d'Azur")).toBe("provence-alpes-c%C3%B4te_d'azur");
    const session = { id: 'x', url: 'http://s-{session}:p@h:1', tags: { country: 'us' } };
    expect(upstreamUrlFor(session, { country: 'us' }, SESSION)).toBe(`http://s-${SESSION}:p@h:1`);
    expect(upstreamUrlFor(exits[5]!, { country: 'fr' }, SESSION)).toBeNull();
  });
});

describe('picking an exit', () => {
  const pick = (targeting: Parameters<typeof pickExit>[1]) => pickExit(exits, targeting)?.id;

  it('the most specific exit that matches wins', () => {
    expect(pick({ country: 'us', city: 'New York' })).toBe('ny');
    expect(pick({ country: 'us', state: 'New York', city: 'New York' })).toBe('ny');
    expect(pick({ country: 'us', city: 'Los Angeles' })).toBe('la');
    expect(pick({ country: 'us', isp: 'Comcast' })).toBe('comcast');
  });

  it('never an exit whose tags contradict the session; a templated exit passes the narrowing on', () => {
    expect(pick({ country: 'us', city: 'Chicago' })).toBe('us-any');
    const withoutFallback = exits.filter((e) => e.id !== 'us-any');
    expect(pickExit(withoutFallback, { country: 'us', city: 'Chicago' })?.id).toBe('us-templated');
    expect(pick({ country: 'us', state: 'California', city: 'New York' })).toBe('us-any');
    expect(pick({ country: 'de' })).toBeUndefined();
  });

  it('a country session takes the least narrow exit, and never one whose placeholders it cannot fill', () => {
    expect(pick({ country: 'us' })).toBe('us-any');
    const templatedOnly = exits.filter((e) => e.id === 'us-templated' || e.id === 'ny');
    expect(pickExit(templatedOnly, { country: 'us' })?.id).toBe('ny');
    expect(pickExit(exits.slice(1, 2), { country: 'us' })).toBeUndefined();
  });
});

describe('the catalog the exits serve', () => {
  it('lists each location an exit is tagged with, filing a city without a state where the default catalog has it', () => {
    expect(
      catalogOf([
        { id: 'a', url: 'direct', tags: { country: 'us', city: 'Chicago' } },
        { id: 'b', url: 'direct', tags: { country: 'us', state: 'Texas', isp: 'AT&T' } },
        { id: 'c', url: 'direct', tags: { country: 'us', state: 'texas', city: 'Austin' } },
        { id: 'd', url: 'direct', tags: { country: 'br' } },
      ]),
    ).toEqual([
      {
        code: 'us',
        name: 'United States',
        states: [
          { name: 'Illinois', cities: ['Chicago'] },
          { name: 'Texas', cities: ['Austin'] },
        ],
        isps: ['AT&T'],
      },
      { code: 'br', name: 'Brazil', states: [], isps: [] },
    ]);
    expect(() => catalogOf([{ id: 'x', url: 'direct', tags: { country: 'br', city: 'Recife' } }])).toThrow(
      'exit x: tag a state for the city "Recife"',
    );
  });

  it('the embedded default is one direct exit, this machine, serving the default catalog', () => {
    expect(THIS_MACHINE.exit.kind).toBe('direct');
    expect(THIS_MACHINE.catalog).toBe(DEFAULT_CATALOG);
    expect(THIS_MACHINE.routeFor({ country: 'jp', city: 'Tokyo' }, SESSION)).toEqual({
      exitId: 'this-machine',
      upstreamUrl: null,
    });
    expect(exitSupplyOf(exits).exit.kind).toBe('upstream');
    expect(exitSupplyOf([exits[5]!]).exit.kind).toBe('direct');
  });
});

describe('the exits file', () => {
  it('accepts an array or { exits }, normalising country codes', () => {
    const text = JSON.stringify([{ id: 'a', url: 'socks5://h:1', tags: { country: 'DE' } }]);
    expect(parseExits(text)).toEqual([{ id: 'a', url: 'socks5://h:1', tags: { country: 'de' } }]);
    expect(parseExits(JSON.stringify({ exits: JSON.parse(text) }))).toHaveLength(1);
  });

  it.each([
    [[], 'no exits listed'],
    [[{ id: 'a', url: 'ftp://h:1', tags: { country: 'de' } }], '0.url: direct, http://… or socks5://…'],
    [[{ id: 'a', url: 'direct', tags: { country: 'deu' } }], '0.tags.country'],
    [[{ id: 'a', url: 'direct', tags: { country: 'de', town: 'x' } }], 'Unrecognized key'],
    [[{ id: 'a', url: 'http://{zip}:p@h:1', tags: { country: 'de' } }], 'exit a: unknown placeholder {zip}'],
    [
      [
        { id: 'a', url: 'direct', tags: { country: 'de' } },
        { id: 'a', url: 'direct', tags: { country: 'fr' } },
      ],
      'exit a is listed twice',
    ],
  ])('refuses %j', (exitsJson, message) => {
    expect(() => parseExits(JSON.stringify(exitsJson))).toThrow(message);
  });
});
