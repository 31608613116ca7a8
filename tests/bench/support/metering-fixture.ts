import type { MicroCredits } from '../../../shared/money.ts';
import { rateOf, tierOf, type Tier } from '../../../shared/pricing.ts';
import { parseTargeting } from '../../../shared/targeting.ts';
import type { Db } from '../../../server/db/types.ts';

/**
 * What users pick, in 20 slots: mostly city and country-only, some ISP, few state.
 * Session n gets slot n mod 20. Tier and rate come from the pricing code, as
 * `startSession` would set them.
 */
const SESSION_MIX: readonly { targeting: unknown; slots: number }[] = [
  { targeting: { country: 'US', city: 'New York' }, slots: 5 },
  { targeting: { country: 'GB', city: 'London' }, slots: 4 },
  { targeting: { country: 'US' }, slots: 4 },
  { targeting: { country: 'DE' }, slots: 3 },
  { targeting: { country: 'US', city: 'Los Angeles', isp: 'Verizon' }, slots: 3 },
  { targeting: { country: 'US', state: 'NY' }, slots: 1 },
];

const BENCH_EMAIL = `'bench-' || i || '@bench.example'`;

interface Slot {
  targeting: string;
  tier: Tier;
  rate: MicroCredits;
}

function sessionSlots(): Slot[] {
  return SESSION_MIX.flatMap(({ targeting, slots }) => {
    const parsed = parseTargeting(targeting);
    const tier = tierOf(parsed);
    const slot = { targeting: JSON.stringify(parsed), tier, rate: rateOf(tier) };
    return Array.from({ length: slots }, () => slot);
  });
}

/** How many sessions of each tier `prepareMetering` starts for `users` users. */
export function tierCounts(users: number): Map<Tier, number> {
  const counts = new Map<Tier, number>();
  const slots = sessionSlots();
  slots.forEach((slot, i) => {
    const count = Math.floor(users / slots.length) + (i < users % slots.length ? 1 : 0);
    counts.set(slot.tier, (counts.get(slot.tier) ?? 0) + count);
  });
  return counts;
}

export interface MeteringFixture {
  users: number;
  /** Each wallet's balance, granted as one `adjustment` entry. */
  balance: MicroCredits;
  /** When every session starts. */
  startedAt: number;
}

/**
 * `users` users, each with a funded wallet and one live session started at
 * `startedAt`: the rows `createUser`, `credit` and `startSession` would write,
 * written set-based (the setup is not what a bench measures).
 */
export async function prepareMetering(db: Db, fixture: MeteringFixture): Promise<void> {
  const slots = sessionSlots();
  await db.transaction(async (tx) => {
    await tx.query(`INSERT INTO users (email) SELECT ${BENCH_EMAIL} FROM generate_series(1, $1) i`, [fixture.users]);
    await tx.query('INSERT INTO wallets (user_id, balance, posted_balance) SELECT id, $1, $1 FROM users', [
      fixture.balance,
    ]);
    await tx.query(
      `INSERT INTO ledger_entries (user_id, kind, amount, balance_after, idempotency_key, description)
       SELECT id, 'adjustment', $1, $1, 'bench:' || id, 'bench funds' FROM users`,
      [fixture.balance],
    );
    await tx.query(
      `INSERT INTO proxy_sessions (user_id, targeting, tier, rate, started_at, charged_until, last_heartbeat_at)
       SELECT u.id, ($1::jsonb[])[slot], ($2::text[])[slot], ($3::int8[])[slot], $5, $5, $5
       FROM generate_series(1, $6) i
         CROSS JOIN LATERAL (SELECT (i - 1) % $4 + 1 AS slot) s
         JOIN users u ON u.email = ${BENCH_EMAIL}`,
      [
        slots.map((s) => s.targeting),
        slots.map((s) => s.tier),
        slots.map((s) => s.rate),
        slots.length,
        new Date(fixture.startedAt).toISOString(),
        fixture.users,
      ],
    );
  });
  // What autovacuum would have done by the time a minute of sessions is due.
  await db.exec('VACUUM ANALYZE users, wallets, ledger_entries, proxy_sessions');
  // Flush the setup's WAL now rather than in the middle of a measurement (needs pg_checkpoint; optional).
  await db.exec('CHECKPOINT').catch(() => undefined);
}

/** Every client heartbeats at `at`: the `heartbeat` update, for all live sessions at once. */
export async function heartbeatAll(db: Db, at: number): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE proxy_sessions SET last_heartbeat_at = GREATEST(last_heartbeat_at, $1::timestamptz) WHERE status = 'active'`,
    [new Date(at).toISOString()],
  );
  return rowCount;
}
