import { describe, expect, test } from 'vitest';
import * as format from '../../../renderer/format.ts';

describe('display formatting', () => {
  test('money shows 2 places in dollars, never more than is there; the exact figure is for hover', () => {
    expect(format.money(27_000_000)).toBe('$27.00');
    expect(format.money(14_995_825)).toBe('$14.99');
    expect(format.exactMoney(14_995_825)).toBe('$14.995825');
    expect(format.money(-12_500)).toBe('-$0.01');
    expect(format.exactMoney(-12_500)).toBe('-$0.0125');
    expect(format.money(-4_000)).toBe('$0.00');
    expect(format.money(0)).toBe('$0.00');
    expect(format.perHour(750_000)).toBe('$0.75/hour');
    expect(format.creditCount(25_000_000)).toBe('25 credits');
    expect(format.creditCount(1_000_000)).toBe('1 credit');
    expect(format.creditCount(2_500_000)).toBe('2.50 credits');
  });

  test('durations read as hours, minutes and seconds, never a clock face', () => {
    expect(format.duration(29 * 3600 + 59 * 60 + 19)).toBe('29 h 59 min');
    expect(format.duration(106)).toBe('1 min 46 s');
    expect(format.duration(720)).toBe('12 min');
    expect(format.duration(45)).toBe('45 s');
    expect(format.duration(3900)).toBe('1 h 5 min');
    expect(format.duration(-5)).toBe('0 s');
  });

  test('age, bytes and speed', () => {
    expect(format.age(4_000)).toBe('just now');
    expect(format.age(40_000)).toBe('40 s ago');
    expect(format.age(185_000)).toBe('3 min ago');
    expect(format.age(7_300_000)).toBe('2 h ago');
    expect(format.bytes(512)).toBe('512 B');
    expect(format.bytes(1536)).toBe('1.5 KB');
    expect(format.speed(2048)).toBe('2.0 KB/s');
  });

  test('a place reads in words from the most specific place out, then the ISP', () => {
    expect(format.place({ country: 'us', state: 'Texas', city: 'Austin', isp: 'Comcast' })).toBe(
      'Austin, Texas, United States · Comcast',
    );
    expect(format.place({ country: 'de' })).toBe('Germany');
    expect(format.countryName('gb')).toBe('United Kingdom');
  });

  test('internal names become names: kinds capitalised, package ids as packages', () => {
    expect(format.kindName('purchase')).toBe('Purchase');
    expect(format.description('Purchase: usd_10')).toBe('Purchase: $10 package');
    expect(format.packageName(2500)).toBe('$25 package');
  });
});
