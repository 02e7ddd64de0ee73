// The movie search's result cache: an in-process LRU of finished answers, bounded in entries and
// in age. A key holds everything an answer depends on (endpoint, normalised query, the viewer's
// visible grade set), so an answer cached for one viewer is only ever served to a viewer who sees
// exactly the same grades.
//
// Freshness: MovieSearchService clears it whenever the index changes in this process (a write
// clears it at once and again when its transaction ends; a gram frequency change after it is
// applied), and every clear starts a new generation: an answer computed from reads that began in
// an older generation is not stored. So this process never serves an answer older than its last
// index change; other replicas (whose writes it does not see) serve theirs at most `ttlMs` old.

export interface ResultCacheOptions {
  /** Most entries kept (least recently used dropped first). */
  maxEntries: number;
  /** Longest time an entry is served; 0 disables the cache. */
  ttlMs: number;
  /** Milliseconds clock (tests inject one). */
  now?: () => number;
}

export const DEFAULT_RESULT_CACHE: ResultCacheOptions = { maxEntries: 5000, ttlMs: 30_000 };

interface Entry<V> {
  value: V;
  expires: number;
}

export class ResultCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private gen = 0;
  private readonly now: () => number;
  /** Served from the cache / computed (for the bench and the tests). */
  hits = 0;
  misses = 0;

  constructor(private opts: ResultCacheOptions = DEFAULT_RESULT_CACHE) {
    this.now = opts.now ?? Date.now;
  }

  get enabled(): boolean {
    return this.opts.ttlMs > 0 && this.opts.maxEntries > 0;
  }

  /** The generation to pass to `set` for an answer whose reads start now. */
  get generation(): number {
    return this.gen;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    if (!this.enabled) return undefined;
    const e = this.entries.get(key);
    if (!e) {
      this.misses++;
      return undefined;
    }
    if (e.expires <= this.now()) {
      this.entries.delete(key);
      this.misses++;
      return undefined;
    }
    // Most recently used last (a Map keeps insertion order).
    this.entries.delete(key);
    this.entries.set(key, e);
    this.hits++;
    return e.value;
  }

  /** Stores an answer computed from reads that started in generation `generation` (dropped if the index changed since). */
  set(key: string, value: V, generation: number): void {
    if (!this.enabled || generation !== this.gen) return;
    this.entries.delete(key);
    this.entries.set(key, { value, expires: this.now() + this.opts.ttlMs });
    while (this.entries.size > this.opts.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Changes the entries' lifetime (0: off) and forgets every answer (the bench measures both in one run). */
  setTtl(ttlMs: number): void {
    this.opts = { ...this.opts, ttlMs };
    this.clear();
  }

  /** Forgets every answer and starts a new generation (the index changed). */
  clear(): void {
    this.gen++;
    this.entries.clear();
  }
}
