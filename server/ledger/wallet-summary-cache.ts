import { performance } from 'node:perf_hooks';
import type { Db } from '../db/types.ts';
import { EVERY_WALLET, onWalletChanges } from './wallet-changes.ts';
import { getWalletSummary, type WalletSummary } from './wallet-summary.ts';

// Every client polls its balance; at thousands of polls a second one wallet
// read per poll is most of the service's work. A summary is reused for at most
// this long: every write to the wallet in this process drops it at commit, and
// other processes' writes drop it through NOTIFY as soon as it arrives, so this
// is only the bound when a notification is late or lost.
const FRESH_MS = 1_000;
// Past this many users the cache starts over rather than tracking which to evict.
const MAX_USERS = 50_000;

export interface WalletSummaryCacheOptions {
  freshMs?: number;
  /** A monotonic clock in ms (tests drive it). */
  now?: () => number;
}

interface Slot {
  /** Sequence number of the last change to this wallet. */
  changedAt: number;
  summary?: WalletSummary;
  freshUntil?: number;
  /** A read in progress, and the sequence number when it started. */
  reading?: { startedAt: number; result: Promise<WalletSummary | null> };
}

/**
 * Wallet summaries for reads that only display them (the balance route). Never
 * for a write: every write path reads the wallet row inside its transaction.
 *
 * A read may keep its result only if no change to that wallet came after the
 * read started (changes and reads are ordered by one counter), so a read racing
 * a write can never put the old value back after the write dropped it.
 */
export class WalletSummaryCache {
  private readonly slots = new Map<string, Slot>();
  private sequence = 0;
  /** Wallets without a slot count as changed at this sequence number. */
  private clearedAt = 0;
  private stopListening: (() => Promise<void>) | undefined;
  private readonly freshMs: number;
  private readonly now: () => number;

  constructor(
    private readonly db: Db,
    options: WalletSummaryCacheOptions = {},
  ) {
    this.freshMs = options.freshMs ?? FRESH_MS;
    this.now = options.now ?? (() => performance.now());
  }

  /** Starts hearing wallet changes from this and other processes. */
  async start(): Promise<void> {
    this.stopListening = await onWalletChanges(this.db, (userId) =>
      userId === EVERY_WALLET ? this.forgetAll() : this.forget(userId),
    );
  }

  async close(): Promise<void> {
    await this.stopListening?.();
    this.stopListening = undefined;
    this.forgetAll();
  }

  get(userId: string): Promise<WalletSummary | null> {
    const slot = this.slots.get(userId);
    if (slot?.summary && slot.freshUntil! > this.now()) return Promise.resolve(slot.summary);
    // Concurrent polls share one read, if it started after the last change.
    if (slot?.reading && slot.reading.startedAt >= slot.changedAt) return slot.reading.result;
    return this.read(userId);
  }

  /** Drops a wallet's summary, and any read already under way that might miss the change. */
  forget(userId: string): void {
    if (this.slots.size >= MAX_USERS && !this.slots.has(userId)) return this.forgetAll();
    this.slots.set(userId, { changedAt: ++this.sequence });
  }

  forgetAll(): void {
    this.slots.clear();
    this.clearedAt = ++this.sequence;
  }

  private read(userId: string): Promise<WalletSummary | null> {
    const startedAt = this.sequence;
    const freshUntil = this.now() + this.freshMs;
    const result = getWalletSummary(this.db, userId);
    const slot = this.slotOf(userId);
    slot.reading = { startedAt, result };
    result.then(
      (summary) => this.keep(userId, startedAt, freshUntil, summary),
      () => this.keep(userId, startedAt, freshUntil, null),
    );
    return result;
  }

  private keep(userId: string, startedAt: number, freshUntil: number, summary: WalletSummary | null): void {
    const slot = this.slots.get(userId);
    const changedAt = slot?.changedAt ?? this.clearedAt;
    if (changedAt > startedAt) return;
    const kept: Slot = { changedAt };
    // Unknown users are not remembered: a wallet may be created the next moment.
    if (summary) Object.assign(kept, { summary, freshUntil });
    this.slots.set(userId, kept);
  }

  private slotOf(userId: string): Slot {
    let slot = this.slots.get(userId);
    if (!slot) {
      if (this.slots.size >= MAX_USERS) this.forgetAll();
      slot = { changedAt: this.clearedAt };
      this.slots.set(userId, slot);
    }
    return slot;
  }
}
