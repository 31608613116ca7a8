import { describe, expect, inject, it } from 'vitest';
import { scaleoutRun } from '../../support/reliability/scaleout-run.ts';

describe('two services and two gateways on one PostgreSQL [postgres]', () => {
  it(
    'charge exactly, end a session across processes within a second, and survive losing one of each',
    { timeout: 180_000 },
    async () => {
      const result = await scaleoutRun(inject('databaseUrl'), 12);
      expect(result).toMatchObject({ exact: true, ledgerViolations: 0, survivorsCarriedOn: true });
      expect(result.crossEndMs).toBeLessThan(1_000);
      // About 10 s at 0.50/h for each of 12 sessions: charged, not all left unserved.
      expect(result.charged).toBeGreaterThan(12n * 500n);
    },
  );
});
