// Movie search (seed 004 "search/movie/…"): autocomplete and the full search with similar titles.
//
// The durable index (movie_search_terms: one row per searchable title) is written only here,
// through the catalog's MovieTitleIndex port, inside the catalog's own transactions. A query reads
// neither it nor the movies table: it looks up the terms held in memory (title-memory.ts: the
// terms' rows, with their grams, deletion neighbourhoods and gram frequencies derived from the
// normalised titles; held, with the lookups below, in the search thread or inline: terms-host.ts,
// title-queries.ts), then
//   1. prefix candidates: a range of the titles sorted by normalised form (or by 초성 for consonant
//      input), exact length first, then by rating count, at most PREFIX_CANDIDATES;
//   2. contains / typo candidates: the movies having any of the query's grams (its GRAMS_LOOKED_UP
//      rarest: a title containing the query has them all, one like it most of them), those sharing
//      the most grams first, then the most rated, at most GRAM_CANDIDATES (by rating, not by id:
//      past the bound, a common word's contains tier shows the most rated titles having it, not
//      the most rated of the oldest ones);
//   3. for a Korean full search, titles about as long with the query's 초성 as a prefix (vowel typos);
//   4. for a Korean full search, the short titles one syllable wrong, missing or extra: the query and
//      its one-character deletions looked up in the titles' deletion neighbourhoods (text/typos.ts),
//      most shared first, then the most rated, at most VARIANT_CANDIDATES;
// then scores that bounded set in code (text/match.ts, text/similarity.ts) and ranks it:
// exact, prefix, contains, then similar (by similarity), ties by rating count then id. A candidate
// sharing no keystroke with the query is skipped (it can neither match nor be similar), and the
// similarity reads each title's bigrams as numbered when it was loaded. Candidates are the slots of
// the terms' packed records (title-memory.ts, TermRecords): the tiers, the keystroke test and the
// similarity read those (a plain query is matched on the norm's code units), and a term's strings
// only where a score needs the text (the typo distance of a title about as long, the closeness of
// a similar one, a consonant query's tiers).
//
// The terms in memory follow the table exactly. They are loaded on the first query. A write of
// this process records its movies on its transaction, and when the transaction commits their rows
// are read again on that connection before the commit returns (outside a transaction: before the
// write returns); then the movie ids go out on the `search` invalidation channel, and every other
// process reads those rows from the primary (Redis pub/sub: milliseconds). Queries wait for the
// refreshes under way. Refreshes are numbered, so a slower, older read never overwrites a newer
// one. A lost message (a reconnection: everything is read again) or a write made outside the
// service (a raw cascade) is bounded by memoryMaxAgeMs, after which a query starts a check in the
// background: the table's row count and CRC-32 sum against the terms held (heldMatchesTable), and a
// full read only when they differ.
//
// Finished answers of both endpoints are kept in an in-process LRU (result-cache.ts) keyed by the
// endpoint, the normalised query and the viewer's visible grade set (the age gate), for at most
// SEARCH_CACHE_TTL. Every index write clears it at once, and every refresh after applying; the
// runtime clears it on every catalog change too (genre names and links of the cards).
import type { DataSource, EntityManager, EntitySubscriberInterface, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import { num } from '../../db/data-source.js';
import { gradesKey, type CatalogService } from '../catalog/catalog.service.js';
import type { Movie, WatchGrade } from '../catalog/movie.entity.js';
import type { IndexedTitle, MovieTitleIndex } from '../catalog/title-index.js';
import { MovieSearchTerm, type TermField } from './movie-search.entities.js';
import { DEFAULT_RESULT_CACHE, ResultCache, type ResultCacheOptions } from './result-cache.js';
import { charLength, choseong, normalise } from './text/index.js';
import type { Grades, MemoryTerm } from './title-memory.js';
import { InlineTerms, ThreadTerms, type HeldSummary, type TermsHost } from './terms-host.js';
import { MAX_QUERY_CHARS } from './title-queries.js';
import { chunks } from '../../db/batch.js';
import { LocalInvalidationBus, type InvalidationBus } from '../../db/invalidation.js';

export const SEARCH_CHANNEL = 'search';

export interface MovieSearchCard {
  movie: Pick<Movie, 'id' | 'name' | 'nameEng' | 'poster' | 'runningTime' | 'watchGrade' | 'ratingCount'>;
  genres: string[];
}

/** A finished answer: the cached object itself is handed out (read only), so a route may keep its serialisation with it. */
export interface MovieSearchResult {
  readonly searchResult: readonly MovieSearchCard[];
  readonly similarResult: readonly MovieSearchCard[];
}

/** A row of movie_search_terms as written (and as held in memory). */
export type TermValues = MemoryTerm;

/** Marks a transaction that wrote the index (its end clears the result cache once more), per service instance. */
let instances = 0;

export interface MovieSearchOptions {
  onError?: (err: unknown) => void;
  /** The result cache (config: SEARCH_CACHE_TTL, SEARCH_CACHE_SIZE); ttlMs 0 disables it. */
  cache?: Partial<ResultCacheOptions>;
  /** The terms in memory are checked against the table (and read again if they differ) when older than this (a write made outside the service, a lost message); default 300 s, on the cache's clock. */
  memoryMaxAgeMs?: number;
  /** Where the terms are held and queried (terms-host.ts; config: SEARCH_THREAD): a thread of their own (the default), or 'inline' on the caller's. */
  host?: 'thread' | 'inline';
}

/** A row's CRC-32 in SQL, of its columns joined as termChecksum joins them (SQLite's crc32 is registered in db/data-source.ts). */
function rowChecksumSql(ds: DataSource): string {
  return ds.options.type === 'better-sqlite3'
    ? `crc32(movie_id || '|' || field || '|' || title || '|' || norm || '|' || popularity || '|' || COALESCE(watch_grade, ''))`
    : `CRC32(CONCAT_WS('|', movie_id, field, title, norm, popularity, COALESCE(watch_grade, '')))`;
}

/** The index rows of one movie (pure: exported for the tests and the bench). */
export function termsOf(t: IndexedTitle): TermValues[] {
  const terms: TermValues[] = [];
  const seen = new Set<string>();
  for (const [field, title] of [
    ['name', t.name],
    ['name_eng', t.nameEng],
  ] as const) {
    if (!title) continue;
    const norm = normalise(title).slice(0, 200);
    // An English name equal to the name (MovieLens) adds nothing.
    if (!norm || seen.has(norm)) continue;
    seen.add(norm);
    terms.push({ movieId: t.id, field, title: title.slice(0, 200), norm, choseong: choseong(norm), len: charLength(norm), popularity: t.ratingCount, watchGrade: t.watchGrade });
  }
  return terms;
}

export class MovieSearchService implements MovieTitleIndex {
  /** Finished answers of both endpoints (see result-cache.ts), cleared by every index change of this process. */
  readonly cache: ResultCache<readonly string[] | MovieSearchResult>;
  private readonly written = `movieSearchIndexWritten#${++instances}`;
  private bus: InvalidationBus = new LocalInvalidationBus();
  /** Where the terms the queries look up are held (terms-host.ts), made and loaded on the first query. */
  private host: TermsHost | null = null;
  private readonly makeHost: () => TermsHost;
  /** What the host holds, as of its last answer to a load or a replace. */
  private held: HeldSummary = { movies: 0, terms: 0, sum: 0 };
  private loading: Promise<void> | null = null;
  private reloading: Promise<void> | null = null;
  private loadedAt = 0;
  private readonly memoryMaxAgeMs: number;
  private readonly onError: (err: unknown) => void;
  private readonly now: () => number;
  /** Refreshes are numbered; a movie's terms are applied only from its newest refresh (see refresh). */
  private seq = 0;
  private readonly stamps = new Map<number, number>();
  private fullApplied = 0;
  /** Refreshes under way: a query waits for them (this process reads what it wrote). */
  private readonly inflight = new Set<Promise<void>>();

  constructor(
    private readonly ds: DataSource,
    private readonly catalog: CatalogService,
    opts: MovieSearchOptions = {},
  ) {
    this.cache = new ResultCache({ ...DEFAULT_RESULT_CACHE, ...opts.cache });
    this.memoryMaxAgeMs = opts.memoryMaxAgeMs ?? 300_000;
    this.onError = opts.onError ?? (() => {});
    this.now = opts.cache?.now ?? Date.now;
    this.makeHost =
      opts.host === 'inline'
        ? () => new InlineTerms()
        : () => {
            const host: TermsHost = new ThreadTerms((err) => this.hostLost(host, err));
            return host;
          };
    // A transaction subscriber of this DataSource: the end of a transaction that wrote the index.
    ds.subscribers.push({
      afterTransactionCommit: (event: TransactionCommitEvent) => this.transactionEnded(event, true),
      afterTransactionRollback: (event: TransactionRollbackEvent) => this.transactionEnded(event, false),
    } satisfies EntitySubscriberInterface);
  }

  // ---- freshness: the terms in memory and the result cache ---------------------------------------------

  /** Other processes' index changes refresh those movies here; this process's are published to them. */
  useInvalidation(bus: InvalidationBus): void {
    this.bus = bus;
    bus.subscribe(SEARCH_CHANNEL, (change) => {
      this.cache.clear();
      if (!this.loading) return;
      if (change.all) this.track(this.reload());
      else if (change.ids?.length) this.track(this.refresh(change.ids));
    });
  }

  /**
   * The index is being written through `m` for these movies: the cached answers go now, and the
   * movies are refreshed from the table when the transaction commits (an answer computed meanwhile
   * read the old terms; the generation check of ResultCache.set drops it).
   */
  private indexChanging(m: EntityManager, ids: readonly number[]): void {
    this.cache.clear();
    const qr = m.queryRunner;
    if (!qr?.isTransactionActive) return;
    const pending: Set<number> = (qr.data[this.written] ??= new Set<number>());
    for (const id of ids) pending.add(id);
  }

  /** Outside a transaction the write is visible once it returns. */
  private async indexChanged(m: EntityManager, ids: readonly number[]): Promise<void> {
    if (m.queryRunner?.isTransactionActive) return;
    await this.refresh(ids);
    this.bus.publish(SEARCH_CHANNEL, { ids: [...ids] });
  }

  private async transactionEnded(event: TransactionCommitEvent | TransactionRollbackEvent, committed: boolean): Promise<void> {
    // A released savepoint is not the end of the transaction.
    const qr = event.queryRunner;
    if (qr.isTransactionActive || !qr.data?.[this.written]) return;
    const ids = [...(qr.data[this.written] as Set<number>)];
    delete qr.data[this.written];
    // Answers computed while the write was open go; a rolled back write changed nothing else.
    this.cache.clear();
    if (!committed) return;
    // On the committed transaction's own connection (autocommit now): taking another one from the
    // pool here would wait forever once every pooled connection sits in this same hook.
    await this.refresh(ids, (sql, params) => qr.query(sql, params));
    this.bus.publish(SEARCH_CHANNEL, { ids });
  }

  private track(p: Promise<void>): void {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  /** Loads the terms now (the API process after start: the first search does not wait for them); how many movies they cover. */
  async warm(): Promise<number> {
    await this.terms();
    return this.held.movies;
  }

  /** The host's thread died (terms-host.ts): the next query starts a new one and loads it (this one's calls fail). */
  private hostLost(host: TermsHost, err: Error): void {
    if (host !== this.host) return;
    this.onError(err);
    this.host = null;
    this.loading = null;
    this.cache.clear();
  }

  /** Stops the host (its thread). A later query starts a new one. */
  async close(): Promise<void> {
    const host = this.host;
    this.host = null;
    this.loading = null;
    await host?.close();
  }

  /** The host to query: loaded on first use (awaited), read again in the background when older than the safety bound. */
  private async terms(): Promise<TermsHost> {
    if (!this.loading || !this.host) {
      const host = (this.host = this.makeHost());
      this.loading = this.reload().catch(async (err) => {
        if (this.host === host) {
          this.host = null;
          this.loading = null;
        }
        await host.close();
        throw err;
      });
    }
    else if (!this.reloading && this.loadedAt > 0 && this.now() - this.loadedAt >= this.memoryMaxAgeMs) {
      // A write made outside the service (a raw cascade) or a lost message shows after at most this
      // long plus one full read, done in the background: queries meanwhile answer from the terms
      // held (at 100k movies the read takes seconds; every search waiting for it would stall).
      // The full read (and the result cache's clearing) only when the table's checksum differs
      // from the terms held: mostly nothing changed behind the service's back.
      this.reloading = this.recheck().finally(() => (this.reloading = null));
      this.reloading.catch(() => {});
    }
    const host = this.host;
    await this.loading;
    if (this.inflight.size) await Promise.all(this.inflight);
    return host;
  }

  /** A statement on the primary (with a replica: the rows as written, not as replicated so far). */
  private async onPrimary(sql: string, params: unknown[]): Promise<unknown> {
    const runner = this.ds.createQueryRunner('master');
    try {
      return await runner.query(sql, params);
    } finally {
      await runner.release();
    }
  }

  /** Reads the terms of `ids` (null: every movie) from the primary, or through `query`. */
  private async readTerms(ids: readonly number[] | null, query?: (sql: string, params: unknown[]) => Promise<unknown>): Promise<MemoryTerm[]> {
    const select = 'SELECT movie_id AS movieId, field, title, norm, choseong, len, popularity, watch_grade AS watchGrade FROM movie_search_terms';
    const run = async (sql: string, params: unknown[]): Promise<Array<Record<string, unknown>>> =>
      (query ? await query(sql, params) : await this.onPrimary(sql, params)) as Array<Record<string, unknown>>;
    // Concatenated, not pushed as spread arguments: a full read has a row per title (200k rows
    // for 100k movies with English names), past what a call's arguments can hold.
    let rows: Array<Record<string, unknown>> = [];
    if (ids === null) rows = await run(select, []);
    else for (const part of chunks([...new Set(ids)], 1000)) rows = rows.concat(await run(`${select} WHERE movie_id IN (${part.map(() => '?').join(', ')})`, part));
    return rows.map((r) => ({ movieId: num(r.movieId), field: r.field as TermField, title: String(r.title), norm: String(r.norm), choseong: String(r.choseong), len: num(r.len), popularity: num(r.popularity), watchGrade: (r.watchGrade ?? null) as WatchGrade | null }));
  }

  /**
   * Whether the terms held are the table's rows now: the same count and the same sum of the rows'
   * CRC-32 (termChecksum; a change is missed only if it keeps the sum, about one in 2^32). False
   * while a refresh of this process started meanwhile (its rows may be in the table and not here yet).
   */
  async heldMatchesTable(): Promise<boolean> {
    const seq = this.seq;
    const held = this.held;
    // From the primary, as the full read (a replica's lag would only cost a needless full read).
    const [got] = (await this.onPrimary(`SELECT COUNT(*) AS n, COALESCE(SUM(${rowChecksumSql(this.ds)}), 0) AS total FROM movie_search_terms`, [])) as Array<{ n: unknown; total: unknown }>;
    return seq === this.seq && held === this.held && !this.inflight.size && num(got!.n) === held.terms && num(got!.total) === held.sum;
  }

  /** The terms held are checked against the table, and read again only if they differ. */
  private async recheck(): Promise<void> {
    if (await this.heldMatchesTable()) this.loadedAt = this.now();
    else await this.reload();
  }

  /** Full reads of the table so far (the first load included): for the tests and the bench. */
  fullReads = 0;

  /** The check (or full read) past the bound under way in the background, if any (tests). */
  get checking(): Promise<void> | null {
    return this.reloading;
  }

  /** Every movie's terms from the table; a movie refreshed after this read began keeps what it has. */
  private async reload(): Promise<void> {
    this.fullReads++;
    const s = ++this.seq;
    const host = this.host;
    const rows = await this.readTerms(null);
    // A newer full read went to the host first, or the host is gone: these rows are not the latest.
    if (s < this.fullApplied || !host || host !== this.host) return;
    // Movies refreshed since this read began (applied to the current terms, or to be applied after
    // this load is sent: the host keeps those too) keep theirs.
    const keep: number[] = [];
    for (const [id, stamp] of this.stamps) {
      if (stamp > s) keep.push(id);
      // An older refresh can no longer apply (s > its number): its stamp is not needed.
      else this.stamps.delete(id);
    }
    this.fullApplied = s;
    this.held = await host.load(rows, keep);
    // Answers computed from the terms replaced go (on the first load there are none).
    if (this.loadedAt > 0) this.cache.clear();
    this.loadedAt = this.now();
  }

  /** These movies' terms from the table (applied unless a newer refresh or full read began meanwhile). */
  private async refresh(ids: readonly number[], query?: (sql: string, params: unknown[]) => Promise<unknown>): Promise<void> {
    if (!this.loading || !ids.length) return;
    const s = ++this.seq;
    for (const id of ids) this.stamps.set(id, s);
    const rows = await this.readTerms(ids, query);
    const host = this.host;
    if (s > this.fullApplied && host) {
      const byMovie = new Map<number, MemoryTerm[]>(ids.map((id) => [id, []]));
      for (const t of rows) byMovie.get(t.movieId)?.push(t);
      const changes = [...byMovie].filter(([id]) => this.stamps.get(id) === s);
      if (changes.length) this.held = await host.replace(changes);
    }
    this.cache.clear();
  }

  // ---- the index (the catalog's MovieTitleIndex port) ------------------------------------------------

  /**
   * Replaces the movies' index rows by what their titles give now, touching only what changed:
   * rows are deleted and updated by their exact primary key and only new ones inserted. (A range
   * DELETE followed by INSERTs takes gap locks on MySQL, and two catalog writes of neighbouring
   * movies would deadlock.) The callers hold the movies' row locks, so the rows read here are the
   * latest.
   */
  async upsert(m: EntityManager, movies: readonly IndexedTitle[]): Promise<void> {
    if (!movies.length) return;
    const ids = [...new Set(movies.map((t) => t.id))];
    this.indexChanging(m, ids);
    const old = await this.currentTerms(m, ids);
    const termsToInsert: TermValues[] = [];
    for (const t of movies) {
      const haveTerms = old.get(t.id) ?? new Map<TermField, TermValues>();
      for (const term of termsOf(t)) {
        const have = haveTerms.get(term.field);
        haveTerms.delete(term.field);
        if (!have) termsToInsert.push(term);
        else if (have.title !== term.title || have.norm !== term.norm || have.choseong !== term.choseong || have.len !== term.len || have.watchGrade !== term.watchGrade || have.popularity !== term.popularity) {
          await m.update(MovieSearchTerm, { movieId: t.id, field: term.field }, { title: term.title, norm: term.norm, choseong: term.choseong, len: term.len, watchGrade: term.watchGrade, popularity: term.popularity });
        }
      }
      for (const field of haveTerms.keys()) await m.delete(MovieSearchTerm, { movieId: t.id, field });
    }
    for (const part of chunks(termsToInsert, 500)) await m.createQueryBuilder().insert().into(MovieSearchTerm).values(part).updateEntity(false).execute();
    await this.indexChanged(m, ids);
  }

  async remove(m: EntityManager, ids: readonly number[]): Promise<void> {
    const unique = [...new Set(ids)];
    if (!unique.length) return;
    this.indexChanging(m, unique);
    // By exact primary key, as upsert deletes (a range DELETE takes gap locks on MySQL).
    for (const [movieId, terms] of await this.currentTerms(m, unique)) for (const field of terms.keys()) await m.delete(MovieSearchTerm, { movieId, field });
    await this.indexChanged(m, unique);
  }

  /** The movies' index rows as they are (plain reads through `m`: the callers hold the movies' locks). */
  private async currentTerms(m: EntityManager, ids: number[]): Promise<Map<number, Map<TermField, TermValues>>> {
    const terms = new Map<number, Map<TermField, TermValues>>();
    for (const t of await this.readTerms(ids, (sql, params) => m.query(sql, params))) {
      const byField = terms.get(t.movieId) ?? new Map<TermField, TermValues>();
      byField.set(t.field, t);
      terms.set(t.movieId, byField);
    }
    return terms;
  }

  /** A rating moved the movie's count: equally relevant titles may reorder, so the cached answers go too. */
  async adjustPopularity(m: EntityManager, movieId: number, delta: number): Promise<void> {
    this.indexChanging(m, [movieId]);
    await m
      .createQueryBuilder()
      .update(MovieSearchTerm)
      .set({ popularity: () => `popularity + ${Math.trunc(delta)}` })
      .where('movie_id = :movieId', { movieId })
      .execute();
    await this.indexChanged(m, [movieId]);
  }

  /**
   * Rebuilds the index of every movie, `batchSize` movies per transaction (after a bulk load, or as
   * the repair job `search.reindex`). Searches keep working meanwhile: each batch swaps its rows
   * atomically. Deleted movies' rows are already gone (ON DELETE CASCADE).
   */
  async rebuild(opts: { batchSize?: number; onProgress?: (done: number) => Promise<void> | void } = {}): Promise<{ movies: number; terms: number; ms: number }> {
    const batchSize = opts.batchSize ?? 1000;
    const t0 = Date.now();
    let afterId = 0;
    let movies = 0;
    for (;;) {
      const n = await this.ds.transaction(async (m) => {
        const page = await this.catalog.titlesForIndex(m, { afterId, limit: batchSize });
        await this.upsert(m, page);
        if (page.length) afterId = page[page.length - 1]!.id;
        return page.length;
      });
      movies += n;
      if (opts.onProgress) await opts.onProgress(movies);
      if (n < batchSize) break;
    }
    // Rows the batches did not touch (a term left by a raw write) are read again, here and everywhere.
    if (this.loading) await this.reload();
    this.cache.clear();
    this.bus.publish(SEARCH_CHANNEL, { all: true });
    return { movies, terms: await this.ds.getRepository(MovieSearchTerm).count(), ms: Date.now() - t0 };
  }

  // ---- queries ----------------------------------------------------------------------------------------

  /** Up to 10 titles for what is being typed (exact, prefix, contains; the last syllable may be unfinished). */
  async autocomplete(words: string, grades?: Grades): Promise<readonly string[]> {
    const q = normalise(words).slice(0, MAX_QUERY_CHARS);
    if (!q) return [];
    const key = `a\u0000${gradesKey(grades)}\u0000${q}`;
    const cached = this.cache.get(key) as readonly string[] | undefined;
    if (cached) return cached;
    const generation = this.cache.generation;
    const out = await this.autocompleteUncached(q, grades);
    this.cache.set(key, out, generation);
    return out;
  }

  private async autocompleteUncached(q: string, grades: Grades): Promise<string[]> {
    return (await this.terms()).autocomplete(q, grades);
  }

  /** search_result (exact, prefix, contains) and, disjoint from it, similar_result (typo-tolerant). */
  async search(words: string, grades?: Grades): Promise<MovieSearchResult> {
    const q = normalise(words).slice(0, MAX_QUERY_CHARS);
    if (!q) return { searchResult: [], similarResult: [] };
    const key = `s\u0000${gradesKey(grades)}\u0000${q}`;
    const cached = this.cache.get(key) as MovieSearchResult | undefined;
    if (cached) return cached;
    const generation = this.cache.generation;
    const out = await this.searchUncached(q, grades);
    this.cache.set(key, out, generation);
    return out;
  }

  private async searchUncached(q: string, grades: Grades): Promise<MovieSearchResult> {
    const { matched, similar } = await (await this.terms()).search(q, grades);
    // The cards from the catalog's read cache (the public projection: name, poster, grade, genre names).
    // The views themselves are the cards (a card's text is kept per view: movie-card.ts).
    const cards = new Map<number, MovieSearchCard>((await this.catalog.viewsOf([...matched, ...similar])).map((v) => [v.movie.id, v]));
    const pick = (ids: number[]) => ids.map((id) => cards.get(id)).filter((c): c is MovieSearchCard => !!c);
    return { searchResult: pick(matched), similarResult: pick(similar) };
  }

}

