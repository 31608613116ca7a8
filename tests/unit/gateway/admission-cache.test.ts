import { describe, expect, it } from 'vitest';
import { AdmissionCache } from '../../../server/gateway/admission-cache.ts';

const SESSION = '6f1c1d7e-4a59-4f7e-9d8c-2f0d6f3b9a11';

describe('gateway admission cache', () => {
  it('reuses an admission only for the same password, until it expires or is forgotten', () => {
    const cache = new AdmissionCache(30_000);
    cache.remember(SESSION, 'secret', { country: 'us', city: 'New York' }, 1_000);
    expect(cache.get(SESSION, 'secret', 2_000)).toEqual({ country: 'us', city: 'New York' });
    expect(cache.get(SESSION, 'Secret', 2_000)).toBeUndefined();
    expect(cache.get(SESSION, '', 2_000)).toBeUndefined();
    expect(cache.sessions()).toEqual([SESSION]);
    expect(cache.get(SESSION, 'secret', 31_000)).toBeUndefined();
    expect(cache.sessions()).toEqual([]);

    cache.remember(SESSION, 'secret', { country: 'us' }, 40_000);
    cache.forget(SESSION);
    expect(cache.get(SESSION, 'secret', 40_001)).toBeUndefined();
  });
});
