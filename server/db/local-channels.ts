/** A notification raised by this process inside a transaction, delivered here once it commits. */
export interface Notification {
  channel: string;
  payload: string;
}

export type NotificationListener = (payload: string) => void;

/**
 * This process's own listeners, by channel. PostgreSQL delivers a NOTIFY to
 * listeners only some time after the commit (through their own connection), so
 * a process that must see its own writes at once — a cache invalidated by them —
 * hears them here, synchronously, before `transaction` resolves.
 */
export class LocalChannels {
  private readonly listeners = new Map<string, Set<NotificationListener>>();

  add(channel: string, listener: NotificationListener): () => void {
    const set = this.listeners.get(channel) ?? new Set();
    set.add(listener);
    this.listeners.set(channel, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(channel);
    };
  }

  deliver(notifications: readonly Notification[]): void {
    for (const { channel, payload } of notifications) {
      const set = this.listeners.get(channel);
      if (set) for (const listener of set) listener(payload);
    }
  }
}

/** The statement both engines run for `Queryable.notify`. */
export const NOTIFY_SQL = 'SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload';
