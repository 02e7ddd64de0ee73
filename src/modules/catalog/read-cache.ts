// The catalog's read cache: the public projection of each movie (its MovieView: the row, genre and
// credit names, company — nothing that depends on who asks), the pages of a genre's movie list
// (ids and total per genre, page and visible grade set) and the genre list. Per-member fields and
// the age gate are never in it: the routes apply them on every request.
//
// Freshness. Every catalog write path reports the movies it changed (CatalogChanges.record, below):
// the catalog service, the import, the ratings' score counters (through the catalog), the panel's
// resources (through CatalogService.externalChange). A change is applied to this process's cache at
// once and again when the write's transaction ends, and published on the `catalog` invalidation
// channel after the commit, so every other process drops the same entries (Redis pub/sub, a few
// milliseconds). Every change starts a new generation: a read that began before it is not stored
// (it may have read the old rows). Entries also expire after `ttlMs`, the bound if a message is lost.
import type { DataSource } from 'typeorm';
import { ChangeFeed, type Invalidation, type InvalidationBus } from '../../db/invalidation.js';
import type { MovieView } from './catalog.service.js';

export const CATALOG_CHANNEL = 'catalog';

export interface CatalogCacheOptions {
  /** Longest time an entry is served (ms); 0 disables the cache. */
  ttlMs: number;
  /** Most movies kept (pages and genre lists: a tenth of it each). */
  maxEntries: number;
  now?: () => number;
}

export const DEFAULT_CATALOG_CACHE: CatalogCacheOptions = { ttlMs: 300_000, maxEntries: 20_000 };

interface Entry<V> {
  value: V;
  expires: number;
  /** When the entry was last moved to the recent end. */
  touched: number;
}

/** How long a hit leaves an entry where it is (least-recent order to this precision). */
const TOUCH_MS = 1_000;

/**
 * A bounded map, least recently used dropped first (to within TOUCH_MS: a hit moves its entry to
 * the recent end at most once a second, not on every read of a hot page's twenty movies), entries
 * expiring.
 */
class Lru<K, V> {
  private readonly map = new Map<K, Entry<V>>();
  constructor(
    private readonly max: number,
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  get(key: K): V | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    const now = this.now();
    if (e.expires <= now) {
      this.map.delete(key);
      return undefined;
    }
    if (now - e.touched >= TOUCH_MS) {
      e.touched = now;
      this.map.delete(key);
      this.map.set(key, e);
    }
    return e.value;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    const now = this.now();
    this.map.set(key, { value, expires: now + this.ttlMs, touched: now });
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }

  delete(key: K): void {
    this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }

  get size(): number {
    return this.map.size;
  }
}

export interface GenrePage {
  count: number;
  ids: number[];
}

export interface GenreList {
  count: number;
  rows: Array<{ id: number; name: string; movieCount: number }>;
}

export class CatalogReadCache {
  private readonly views: Lru<number, MovieView>;
  private readonly pages: Lru<string, GenrePage>;
  private readonly genreLists: Lru<string, GenreList>;
  private gen = 0;
  /** Served from the cache / read from the database (tests and the bench). */
  hits = 0;
  misses = 0;

  constructor(private readonly opts: CatalogCacheOptions = DEFAULT_CATALOG_CACHE) {
    const now = opts.now ?? Date.now;
    this.views = new Lru(opts.maxEntries, opts.ttlMs, now);
    this.pages = new Lru(Math.max(1, Math.floor(opts.maxEntries / 10)), opts.ttlMs, now);
    this.genreLists = new Lru(Math.max(1, Math.floor(opts.maxEntries / 10)), opts.ttlMs, now);
  }

  get enabled(): boolean {
    return this.opts.ttlMs > 0 && this.opts.maxEntries > 0;
  }

  /** The generation to pass to the setters for reads that start now. */
  get generation(): number {
    return this.gen;
  }

  view(id: number): MovieView | undefined {
    if (!this.enabled) return undefined;
    const v = this.views.get(id);
    if (v) this.hits++;
    else this.misses++;
    return v;
  }

  setViews(views: readonly MovieView[], generation: number): void {
    if (!this.enabled || generation !== this.gen) return;
    for (const v of views) this.views.set(v.movie.id, v);
  }

  page(key: string): GenrePage | undefined {
    if (!this.enabled) return undefined;
    const p = this.pages.get(key);
    if (p) this.hits++;
    else this.misses++;
    return p;
  }

  setPage(key: string, page: GenrePage, generation: number): void {
    if (this.enabled && generation === this.gen) this.pages.set(key, page);
  }

  genreList(key: string): GenreList | undefined {
    if (!this.enabled) return undefined;
    return this.genreLists.get(key);
  }

  setGenreList(key: string, list: GenreList, generation: number): void {
    if (this.enabled && generation === this.gen) this.genreLists.set(key, list);
  }

  /** Drops what the change makes stale and starts a new generation. */
  apply(change: Invalidation): void {
    this.gen++;
    if (change.all) {
      this.views.clear();
      this.pages.clear();
      this.genreLists.clear();
      return;
    }
    for (const id of change.ids ?? []) this.views.delete(id);
    if (change.lists) {
      this.pages.clear();
      this.genreLists.clear();
    }
  }

  get size(): number {
    return this.views.size;
  }
}

/**
 * Where the catalog's writes report what they changed (the `catalog` channel of ChangeFeed: applied
 * here at once, again when the write's transaction ends, and published to the other processes
 * after the commit).
 */
export class CatalogChanges extends ChangeFeed {
  constructor(ds: DataSource, bus: InvalidationBus) {
    super(ds, bus, CATALOG_CHANNEL);
  }
}
