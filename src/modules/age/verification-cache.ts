// Member → verified birth date (or "not verified"), per process: every signed-in public read asks
// the age gate who is viewing (AgeService.viewer), and without this that is a database round trip
// of its own on each request. Only the birth date is kept; the age is worked out from it and today
// on every request (a birthday needs no invalidation).
//
// Exact, not merely short-lived: the only writer of age_verifications is AgeService.callback, which
// reports the member on the `age` change feed (at once, and again after its commit; other processes
// through Redis pub/sub); account changes (a deleted account's rows cascade) drop the member too. A
// lookup that began before such a change is not stored (generation check). The TTL bounds a lost
// message or a write made outside the service.
import type { Invalidation } from '../../db/invalidation.js';

export interface VerificationCacheOptions {
  /** Longest time an entry is served (ms); 0 disables the cache. */
  ttlMs: number;
  /** Most members kept (least recently used go first). */
  maxEntries: number;
  now?: () => number;
}

interface Entry {
  birthDate: string | null;
  expires: number;
}

export class VerificationCache {
  private readonly entries = new Map<number, Entry>();
  private readonly now: () => number;
  /** Bumped by every invalidation: an answer read before it is not stored. */
  generation = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly opts: VerificationCacheOptions) {
    this.now = opts.now ?? Date.now;
  }

  get enabled(): boolean {
    return this.opts.ttlMs > 0 && this.opts.maxEntries > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The member's verified birth date (null: not verified), through the cache. */
  async through(userId: number, lookup: () => Promise<string | null>): Promise<string | null> {
    if (!this.enabled) return lookup();
    const e = this.entries.get(userId);
    if (e && e.expires > this.now()) {
      this.hits++;
      this.entries.delete(userId);
      this.entries.set(userId, e);
      return e.birthDate;
    }
    if (e) this.entries.delete(userId);
    this.misses++;
    const generation = this.generation;
    const birthDate = await lookup();
    if (generation === this.generation) {
      this.entries.set(userId, { birthDate, expires: this.now() + this.opts.ttlMs });
      while (this.entries.size > this.opts.maxEntries) this.entries.delete(this.entries.keys().next().value as number);
    }
    return birthDate;
  }

  /** These members changed (ids), or everything may have (all: a lost connection). */
  invalidate(change: Invalidation): void {
    this.generation++;
    if (change.all) {
      this.entries.clear();
      return;
    }
    for (const id of change.ids ?? []) this.entries.delete(id);
  }
}
