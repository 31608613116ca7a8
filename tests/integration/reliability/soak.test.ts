import { describe, expect, it } from 'vitest';
import { costOver } from '../../../shared/money.ts';
import { soakRun } from '../../support/reliability/soak-run.ts';

// The short version of `npm run bench -- reliability`'s soak (1,000 sessions for 60 minutes there).
describe('a soak of live sessions metered for simulated minutes [postgres]', () => {
  it(
    '100 sessions for 10 minutes with reconnects: every charge exactly its served time',
    { timeout: 180_000 },
    async () => {
      const result = await soakRun('postgres', 100, 10);
      expect(result).toMatchObject({ exact: true, ledgerViolations: 0 });
      expect(result.started).toBeGreaterThanOrEqual(100);
      // 100 sessions × 10 minutes at 0.50/h, all of it served; a reconnect floors each part apart (< 1 µcr each).
      const all = 100n * costOver(500_000n, 10n * 60_000n);
      expect(result.charged).toBeLessThanOrEqual(all);
      expect(result.charged).toBeGreaterThanOrEqual(all - BigInt(result.started));
    },
  );
});
