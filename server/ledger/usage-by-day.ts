import type { MicroCredits } from '../../shared/money.ts';
import type { Tier } from '../../shared/pricing.ts';
import type { Queryable } from '../db/types.ts';

export interface UsageDay {
  /** The UTC day, YYYY-MM-DD. */
  date: string;
  /** µcr spent that day, by the tier of the session that spent them. */
  byTier: Record<Tier, MicroCredits>;
}

/**
 * What a user spent per UTC day over the last `days` days up to `now`, oldest
 * first, every day present (zeros included) so a chart needs no gap filling.
 * One statement: the day series left-joined to the usage entries, each entry
 * taking its tier from the session that spent it. The entry's created_at is the
 * service clock's time it was posted (each session-hour and the end); what live
 * sessions spent since their last line counts for today.
 */
export async function usageByDay(db: Queryable, userId: string, days: number, now: number): Promise<UsageDay[]> {
  const { rows } = await db.query<{
    date: string;
    country: bigint;
    city: bigint;
    state: bigint;
    isp: bigint;
  }>(
    `WITH bounds AS (
       SELECT ($2::timestamptz AT TIME ZONE 'UTC')::date AS last_day,
              ($2::timestamptz AT TIME ZONE 'UTC')::date - ($3::int - 1) AS first_day
     ),
     spent AS (
       SELECT (e.created_at AT TIME ZONE 'UTC')::date AS day, s.tier, -sum(e.amount) AS micro
       FROM ledger_entries e
       JOIN proxy_sessions s ON s.id = e.session_id AND s.user_id = e.user_id
       CROSS JOIN bounds b
       WHERE e.user_id = $1 AND e.kind = 'usage'
         AND e.created_at >= (b.first_day::timestamp AT TIME ZONE 'UTC')
         AND e.created_at < ((b.last_day + 1)::timestamp AT TIME ZONE 'UTC')
       GROUP BY 1, 2
       UNION ALL
       -- Live sessions post their usage once an hour: what they spent since is today's.
       SELECT b.last_day, s.tier, sum(s.charged_total - s.posted_total)
       FROM proxy_sessions s CROSS JOIN bounds b
       WHERE s.user_id = $1 AND s.status = 'active' AND s.charged_total > s.posted_total
       GROUP BY 1, 2
     )
     SELECT to_char(d.day, 'YYYY-MM-DD') AS date,
            COALESCE(sum(sp.micro) FILTER (WHERE sp.tier = 'country'), 0)::bigint AS country,
            COALESCE(sum(sp.micro) FILTER (WHERE sp.tier = 'city'), 0)::bigint AS city,
            COALESCE(sum(sp.micro) FILTER (WHERE sp.tier = 'state'), 0)::bigint AS state,
            COALESCE(sum(sp.micro) FILTER (WHERE sp.tier = 'isp'), 0)::bigint AS isp
     FROM bounds b
     CROSS JOIN LATERAL generate_series(b.first_day::timestamp, b.last_day::timestamp, interval '1 day') AS d(day)
     LEFT JOIN spent sp ON sp.day = d.day::date
     GROUP BY d.day
     ORDER BY d.day`,
    [userId, new Date(now).toISOString(), days],
  );
  return rows.map((row) => ({
    date: row.date,
    byTier: { country: row.country, city: row.city, state: row.state, isp: row.isp },
  }));
}
