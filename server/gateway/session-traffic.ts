import type { Db } from '../db/types.ts';
import type { ConnectionBytes } from './session-tunnels.ts';

/**
 * Byte counts not yet written, summed per session. Writes are additive, so any
 * number of gateways can count the same session side by side.
 */
export class PendingTraffic {
  #pending = new Map<string, ConnectionBytes>();

  add(sessionId: string, bytes: ConnectionBytes): void {
    if (bytes.up === 0 && bytes.down === 0) return;
    const sum = this.#pending.get(sessionId) ?? { up: 0, down: 0 };
    sum.up += bytes.up;
    sum.down += bytes.down;
    this.#pending.set(sessionId, sum);
  }

  get size(): number {
    return this.#pending.size;
  }

  /** Writes everything pending in one statement; on failure it stays pending for the next try. */
  async flush(db: Db): Promise<void> {
    if (this.#pending.size === 0) return;
    const batch = this.#pending;
    this.#pending = new Map();
    try {
      await db.query(
        `UPDATE proxy_sessions s SET bytes_up = s.bytes_up + c.up, bytes_down = s.bytes_down + c.down
         FROM unnest($1::uuid[], $2::int8[], $3::int8[]) AS c (id, up, down)
         WHERE s.id = c.id`,
        [
          [...batch.keys()],
          [...batch.values()].map((b) => BigInt(b.up)),
          [...batch.values()].map((b) => BigInt(b.down)),
        ],
      );
    } catch (error) {
      for (const [sessionId, bytes] of batch) this.add(sessionId, bytes);
      throw error;
    }
  }
}

/** Which of these sessions have ended: the safety net for an end announcement the gateway missed. */
export async function endedAmong(db: Db, sessionIds: readonly string[]): Promise<string[]> {
  if (sessionIds.length === 0) return [];
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM proxy_sessions WHERE id = ANY($1::uuid[]) AND status = 'ended'`,
    [sessionIds],
  );
  return rows.map((r) => r.id);
}
