import { describe, expect, it } from 'vitest';
import { idRanges } from '../../../server/metering/id-ranges.ts';

// uuid order in PostgreSQL is byte order, which for lower-case hex text is string order.
const inRange = (id: string, r: { after: string; last: string }) => id > r.after && id <= r.last;

describe('idRanges', () => {
  it('one range covers every id but the zero uuid', () => {
    expect(idRanges(1)).toEqual([
      { after: '00000000-0000-0000-0000-000000000000', last: 'ffffffff-ffff-ffff-ffff-ffffffffffff' },
    ]);
  });

  it.each([2, 3, 7, 20, 64])('%i ranges: contiguous, each boundary id in exactly one', (n) => {
    const ranges = idRanges(n);
    expect(ranges).toHaveLength(n);
    expect(ranges[n - 1]!.last).toBe('ffffffff-ffff-ffff-ffff-ffffffffffff');
    for (let k = 1; k < n; k++) expect(ranges[k]!.after).toBe(ranges[k - 1]!.last);
    // Each range's last id and the first id after it (the next range's first).
    const next = (id: string) =>
      `${(parseInt(id.slice(0, 8), 16) + 1).toString(16).padStart(8, '0')}-0000-0000-0000-000000000000`;
    const probes = ranges.flatMap((r, k) => (k < n - 1 ? [r.last, next(r.last)] : [r.last]));
    probes.push('00000000-0000-0000-0000-000000000001', '80000000-0000-0000-0000-000000000000');
    for (const id of probes) expect(ranges.filter((r) => inRange(id, r))).toHaveLength(1);
  });

  it('2 ranges split at the middle of the id space', () => {
    expect(idRanges(2).map((r) => r.last)).toEqual([
      '7fffffff-ffff-ffff-ffff-ffffffffffff',
      'ffffffff-ffff-ffff-ffff-ffffffffffff',
    ]);
  });
});
