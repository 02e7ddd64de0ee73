// A per-process cache whose entries are dropped exactly when what they were read from changes: an
// LRU of at most `maxEntries`, each entry served for at most `ttlMs`, grouped by the id a change
// names (an account, a member). `invalidate` drops a group's entries (or all) at once and bumps the
// generation, so a lookup that began before the change is not stored; the TTL only bounds a lost
// message or a write made outside the owning service. Used for the token → user lookup
// (src/http/auth.ts) and the members' verified birth dates (src/modules/age/verification-cache.ts).

export interface ExactCacheOptions {
  /** Longest time an entry is served (ms); 0 disables the cache. */
  ttlMs: number;
  /** Most entries kept (least recently used go first). */
  maxEntries: number;
  now?: () => number;
}

interface Entry<V> {
  value: V;
  group: number;
  expires: number;
}

export class ExactCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();
  private readonly byGroup = new Map<number, Set<K>>();
  private readonly now: () => number;
  /** Bumped by every invalidation: an answer read before it is not stored. */
  generation = 0;
  hits = 0;
  misses = 0;

  constructor(
    private readonly opts: ExactCacheOptions,
    /** Which answers are kept (e.g. only positive ones) and how a kept answer is handed out (a copy). */
    private readonly policy: { keep?: (value: V) => boolean; copy?: (value: V) => V } = {},
  ) {
    this.now = opts.now ?? Date.now;
  }

  get enabled(): boolean {
    return this.opts.ttlMs > 0 && this.opts.maxEntries > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  /** `lookup`'s answer for `key` (of `group`), through the cache. */
  async through(key: K, group: number, lookup: () => Promise<V>): Promise<V> {
    if (!this.enabled) return lookup();
    const copy = this.policy.copy ?? ((v: V) => v);
    const e = this.entries.get(key);
    if (e && e.expires > this.now()) {
      this.hits++;
      // Least recently used first out.
      this.entries.delete(key);
      this.entries.set(key, e);
      return copy(e.value);
    }
    if (e) this.forget(key, e.group);
    this.misses++;
    const generation = this.generation;
    const value = await lookup();
    if (generation === this.generation && (this.policy.keep?.(value) ?? true)) {
      this.entries.set(key, { value: copy(value), group, expires: this.now() + this.opts.ttlMs });
      let keys = this.byGroup.get(group);
      if (!keys) this.byGroup.set(group, (keys = new Set()));
      keys.add(key);
      while (this.entries.size > this.opts.maxEntries) {
        const [oldest, entry] = this.entries.entries().next().value as [K, Entry<V>];
        this.forget(oldest, entry.group);
      }
    }
    return value;
  }

  /** These groups changed (ids), or everything may have (all: a lost connection). */
  invalidate(change: { ids?: number[]; all?: boolean }): void {
    this.generation++;
    if (change.all) {
      this.entries.clear();
      this.byGroup.clear();
      return;
    }
    for (const id of change.ids ?? []) {
      for (const key of this.byGroup.get(id) ?? []) this.entries.delete(key);
      this.byGroup.delete(id);
    }
  }

  private forget(key: K, group: number): void {
    this.entries.delete(key);
    const keys = this.byGroup.get(group);
    keys?.delete(key);
    if (keys && !keys.size) this.byGroup.delete(group);
  }
}
