import type { SystemProxyStatus } from '../../../shared/ipc/views.ts';
import type { UnsupportedDesktop } from './desktop-adapter.ts';
import type { ProxyJournal, JournalEntry } from './proxy-journal.ts';
import type { ProxyAddress, ProxyValues, SystemProxyAdapter } from './proxy-values.ts';

export interface SystemProxyOptions {
  adapter: SystemProxyAdapter | UnsupportedDesktop;
  journal: ProxyJournal;
  onError?: (error: unknown) => void;
}

const OFF: SystemProxyStatus = { state: 'off', desktop: null, message: null };

/**
 * Points the operating system's proxy at the local proxy and puts back exactly
 * what was there before. The previous values go to the journal before
 * anything changes; a restore writes them back only while every value is
 * still ours or the old one — a proxy the user set by hand while connected
 * stays as they set it. Calls run one after another, in the order made.
 */
export class SystemProxy {
  readonly #adapter: SystemProxyAdapter | null;
  readonly #journal: ProxyJournal;
  readonly #onError: (error: unknown) => void;
  readonly #listeners = new Set<(status: SystemProxyStatus) => void>();
  #status: SystemProxyStatus;
  #queue: Promise<void> = Promise.resolve();
  /** Where this process pointed the system ("host:port"), while its journal is on disk. */
  #pointedAt: string | null = null;

  constructor(options: SystemProxyOptions) {
    this.#adapter = 'unsupported' in options.adapter ? null : options.adapter;
    this.#journal = options.journal;
    this.#onError = options.onError ?? (() => undefined);
    this.#status =
      'unsupported' in options.adapter
        ? { state: 'unsupported', desktop: null, message: options.adapter.unsupported }
        : { ...OFF, desktop: options.adapter.desktop };
  }

  get status(): SystemProxyStatus {
    return this.#status;
  }

  onStatus(listener: (status: SystemProxyStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves once every change asked for so far is done. */
  idle(): Promise<void> {
    return this.#queue;
  }

  /** At start, before anything else: a journal left behind means the app died while pointing the system at itself. */
  recover(): Promise<void> {
    return this.#run(async (adapter) => {
      const entry = this.#journal.read();
      if (entry)
        await this.#restore(adapter, entry, 'Restored your proxy settings from before Atlantic Proxy stopped.');
    });
  }

  /** Points the system at `address` (null: puts the previous settings back). Does nothing when already there. */
  sync(address: ProxyAddress | null): Promise<void> {
    return this.#run(async (adapter) => {
      const entry = this.#journal.read();
      if (address === null) {
        if (entry) await this.#restore(adapter, entry, null);
        return;
      }
      const at = `${address.host}:${address.port}`;
      if (entry && this.#pointedAt === at) return;
      // A journal this process did not just write (a restore that failed earlier): put that back first.
      if (entry) await this.#restore(adapter, entry, null);
      const current = await adapter.read();
      const applied = adapter.target(address, current);
      const previous: ProxyValues = Object.fromEntries(
        Object.keys(applied).map((name) => [name, current[name] ?? null]),
      );
      this.#journal.write({ desktop: adapter.desktop, previous, applied });
      this.#pointedAt = at;
      await adapter.write(applied);
      this.#set({ state: 'on', desktop: adapter.desktop, message: null });
    });
  }

  async #restore(adapter: SystemProxyAdapter, entry: JournalEntry, message: string | null): Promise<void> {
    // A journal from another desktop session (GNOME then, KDE now) names settings this adapter doesn't have.
    if (entry.desktop !== adapter.desktop) {
      this.#journal.remove();
      this.#pointedAt = null;
      return this.#set({ ...OFF, desktop: adapter.desktop });
    }
    const current = await adapter.read();
    const names = Object.keys(entry.applied);
    const ours = names.every((name) => [entry.applied[name], entry.previous[name]].includes(current[name] ?? null));
    if (ours) {
      const changed = names.filter((name) => (current[name] ?? null) !== (entry.previous[name] ?? null));
      if (changed.length > 0)
        await adapter.write(Object.fromEntries(changed.map((name) => [name, entry.previous[name] ?? null])));
    }
    this.#journal.remove();
    this.#pointedAt = null;
    this.#set({
      state: 'off',
      desktop: adapter.desktop,
      message: ours ? message : 'You changed the proxy settings while connected; they were left as you set them.',
    });
  }

  #run(step: (adapter: SystemProxyAdapter) => Promise<void>): Promise<void> {
    const adapter = this.#adapter;
    if (!adapter) return Promise.resolve();
    const next = this.#queue.then(() =>
      step(adapter).catch((error: unknown) => {
        this.#onError(error);
        const reason = error instanceof Error ? error.message : String(error);
        this.#set({
          state: 'failed',
          desktop: adapter.desktop,
          message: `Could not change the system proxy: ${reason}`,
        });
      }),
    );
    this.#queue = next;
    return next;
  }

  #set(status: SystemProxyStatus): void {
    this.#status = status;
    for (const listener of this.#listeners) listener(status);
  }
}
