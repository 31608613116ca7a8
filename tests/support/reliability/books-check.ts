import { costOver } from '../../../shared/money.ts';
import type { Db } from '../../../server/db/types.ts';
import type { SeenPurchase } from './purchase-load.ts';

export interface UpInterval {
  from: number;
  to: number;
}

export interface BooksFindings {
  acknowledgedLost: number;
  doubleCredits: number;
  /** Sessions charged more than their rate over the time the service was up while they were live (+1 s). */
  chargedWhileDown: number;
  /** The sessions behind chargedWhileDown, to say what happened. */
  overcharged: string[];
}

const overlap = (from: number, to: number, up: readonly UpInterval[]) =>
  up.reduce((sum, u) => sum + Math.max(0, Math.min(to, u.to) - Math.max(from, u.from)), 0);

/** What the books say after a run: acknowledged purchases credited once each, no session billed for downtime. */
export async function checkBooks(
  db: Db,
  seen: readonly SeenPurchase[],
  up: readonly UpInterval[],
): Promise<BooksFindings> {
  const { rows: credited } = await db.query<{ payment_id: string; entries: number }>(
    `SELECT payment_id, count(*)::int AS entries FROM ledger_entries WHERE kind = 'purchase' GROUP BY payment_id`,
  );
  const entries = new Map(credited.map((r) => [r.payment_id, r.entries]));
  const acknowledgedLost = seen.filter((p) => p.acknowledged && !entries.has(p.paymentId)).length;
  const doubleCredits = credited.filter((r) => r.entries > 1).length;

  const { rows: sessions } = await db.query<{
    id: string;
    rate: bigint;
    started_at: Date;
    ended_at: Date | null;
    charged_total: bigint;
    unserved_ms: bigint;
    end_reason: string | null;
  }>('SELECT id, rate, started_at, ended_at, charged_total, unserved_ms, end_reason FROM proxy_sessions');
  const lastUp = Math.max(...up.map((u) => u.to));
  const overcharged = sessions.flatMap((s) => {
    const from = s.started_at.getTime();
    const to = s.ended_at?.getTime() ?? lastUp;
    const served = overlap(from, to, up);
    if (s.charged_total <= costOver(s.rate, BigInt(served + 1_000))) return [];
    return [
      `${s.id}: charged ${s.charged_total} for ${to - from} ms live, ${served} ms of it up, ` +
        `${s.unserved_ms} ms unserved, ended ${s.end_reason}`,
    ];
  });
  return { acknowledgedLost, doubleCredits, chargedWhileDown: overcharged.length, overcharged };
}
