import { describe, expect, test } from 'vitest';
import * as format from '../../../renderer/format.ts';

describe('display formatting', () => {
  test('credits are exact, with at least two decimals', () => {
    expect(format.credits(27_000_000)).toBe('27.00');
    expect(format.credits(26_987_500)).toBe('26.9875');
    expect(format.credits(-12_500)).toBe('-0.0125');
    expect(format.perHour(750_000)).toBe('0.75/h');
  });

  test('countdown, duration, age and bytes', () => {
    expect(format.countdown(3600)).toBe('1:00:00');
    expect(format.countdown(3599.6)).toBe('59:59');
    expect(format.countdown(-5)).toBe('0:00');
    expect(format.duration(45)).toBe('45 s');
    expect(format.duration(720)).toBe('12 min');
    expect(format.duration(3900)).toBe('1 h 05 min');
    expect(format.age(4_000)).toBe('just now');
    expect(format.age(40_000)).toBe('40 s ago');
    expect(format.age(185_000)).toBe('3 min ago');
    expect(format.age(7_300_000)).toBe('2 h ago');
    expect(format.bytes(512)).toBe('512 B');
    expect(format.bytes(1536)).toBe('1.5 KB');
  });

  test('a place reads from country to ISP', () => {
    expect(format.place({ country: 'us', state: 'New York', city: 'Buffalo', isp: 'Comcast' })).toBe(
      'US · New York · Buffalo · Comcast',
    );
  });
});
