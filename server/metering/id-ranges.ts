/** A span of user ids one metering batch covers: ids after `after`, up to and including `last`. */
export interface IdRange {
  after: string;
  last: string;
}

const ZERO_ID = '00000000-0000-0000-0000-000000000000';
const hex8 = (n: number) => n.toString(16).padStart(8, '0');
const endOf = (prefix: number) => `${hex8(prefix)}-ffff-ffff-ffff-ffffffffffff`;

/**
 * Splits the id space into `n` equal ranges, one per batch. User ids are
 * random UUIDs, so the ranges hold about as many users (and sessions) each,
 * and no batch of a tick touches a wallet or session another holds.
 */
export function idRanges(n: number): IdRange[] {
  const bound = (k: number) => Math.floor((k * 0x1_0000_0000) / n) - 1;
  return Array.from({ length: n }, (_, k) => ({
    after: k === 0 ? ZERO_ID : endOf(bound(k)),
    last: endOf(bound(k + 1)),
  }));
}
