import { describe, expect, inject, it } from 'vitest';
import { crashRun } from '../../support/reliability/crash-run.ts';

// The short version of `npm run bench -- reliability`'s crash test (which kills 20 times).
const KILLS = 3;
const SEED = 20261203;

for (const engine of ['pglite', 'postgres'] as const) {
  describe(`the billing service killed under load [${engine}]`, () => {
    it(`loses and doubles nothing over ${KILLS} SIGKILLs at random moments`, { timeout: 240_000 }, async () => {
      const lines: string[] = [];
      const result = await crashRun({
        engine,
        kills: KILLS,
        seed: SEED,
        serverUrl: inject('databaseUrl'),
        log: (line) => lines.push(line),
      });
      expect(result.purchases, lines.join('\n')).toBeGreaterThan(5);
      expect(result.acknowledged).toBeGreaterThan(0);
      expect(result.sessions).toBeGreaterThan(2);
      expect(
        {
          acknowledgedLost: result.acknowledgedLost,
          doubleCredits: result.doubleCredits,
          ledgerViolations: result.ledgerViolations,
          chargedWhileDown: result.chargedWhileDown,
        },
        lines.join('\n'),
      ).toEqual({ acknowledgedLost: 0, doubleCredits: 0, ledgerViolations: 0, chargedWhileDown: 0 });
    });
  });
}
