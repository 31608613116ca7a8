import { describe, expect, it } from 'vitest';
import { ENGINES } from '../../support/engines.ts';
import { fuzzRun } from '../../support/reliability/fuzz-run.ts';

// The short version of `npm run bench -- reliability`'s fuzzer (10,000 cases there).
const CASES = 1_500;
const SEED = 20261203;

for (const engine of ENGINES) {
  describe(`requests generated from the OpenAPI document [${engine}]`, () => {
    it(
      `${CASES} cases (seed ${SEED}): no 5xx, every refusal in the error shape, nothing changed by one`,
      { timeout: 180_000 },
      async () => {
        const result = await fuzzRun(engine, CASES, SEED);
        expect(
          { fiveXX: result.fiveXX, badShape: result.badShape, rejectedChanges: result.rejectedChanges },
          result.examples.join('\n'),
        ).toEqual({ fiveXX: 0, badShape: 0, rejectedChanges: 0 });
      },
    );
  });
}
