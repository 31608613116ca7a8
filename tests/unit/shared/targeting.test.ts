import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.ts';
import { parseTargeting } from '../../../shared/targeting.ts';

function refusal(input: unknown): AppError {
  try {
    parseTargeting(input);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('invalid_targeting');
    expect((error as AppError).status).toBe(400);
    return error as AppError;
  }
  return expect.unreachable(`${JSON.stringify(input)} was accepted`);
}

describe('parseTargeting', () => {
  it('accepts a country alone, lower-cased', () => {
    expect(parseTargeting({ country: 'US' })).toEqual({ country: 'us' });
    expect(parseTargeting({ country: 'de' })).toEqual({ country: 'de' });
    expect(parseTargeting({ country: 'gB' })).toEqual({ country: 'gb' });
  });

  it('trims the country code before checking it', () => {
    expect(parseTargeting({ country: ' FR ' })).toEqual({ country: 'fr' });
  });

  it('keeps state, city and ISP, trimmed', () => {
    expect(parseTargeting({ country: 'US', state: 'NY', city: '  New York ', isp: 'Comcast' })).toEqual({
      country: 'us',
      state: 'NY',
      city: 'New York',
      isp: 'Comcast',
    });
  });

  it('requires a country', () => {
    // A sentence for people, naming the field (also in the details).
    expect(refusal({}).message).toMatch(/^That location can't be used \(country: .*\)\.$/);
    expect(refusal({ city: 'New York' }).details).toEqual({ field: 'country' });
  });

  it.each(['USA', 'U', '', '  ', 'U1', '12', 'u-s', 'ÜS', 'us\u0000'])('refuses the country code %j', (country) => {
    refusal({ country });
  });

  it.each([12, null, true, ['us']])('refuses a country that is not a string: %j', (country) => {
    refusal({ country });
  });

  it.each(['state', 'city', 'isp'])('refuses an empty or blank %s', (key) => {
    refusal({ country: 'us', [key]: '' });
    refusal({ country: 'us', [key]: '   ' });
  });

  it.each(['state', 'city', 'isp'])('refuses a %s longer than 100 characters but accepts 100', (key) => {
    expect(parseTargeting({ country: 'us', [key]: 'x'.repeat(100) })).toEqual({
      country: 'us',
      [key]: 'x'.repeat(100),
    });
    refusal({ country: 'us', [key]: 'x'.repeat(101) });
  });

  it.each([42, null, ['NY']])('refuses a city that is not a string: %j', (city) => {
    refusal({ country: 'us', city });
  });

  it('refuses unknown keys', () => {
    refusal({ country: 'us', zip: '10001' });
    refusal({ country: 'us', City: 'New York' });
    refusal({ country: 'us', asn: 7922 });
  });

  it.each([null, undefined, 'us', 42, true, [], [{ country: 'us' }]])('refuses the non-object %j', (input) => {
    refusal(input);
  });

  it('does not change its input', () => {
    const input = { country: 'US', city: ' Boston ' };
    parseTargeting(input);
    expect(input).toEqual({ country: 'US', city: ' Boston ' });
  });
});
