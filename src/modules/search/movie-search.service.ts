// Movie search (seed 004 "search/movie/…"): autocomplete and the full search with similar titles.
//
// The durable index (movie_search_terms: one row per searchable title) is written only here,
// through the catalog's MovieTitleIndex port, inside the catalog's own transactions. A query reads
// neither it nor the movies table: it looks up the terms held in memory (title-memory.ts: the
// terms' rows, with their grams, deletion neighbourhoods and gram frequencies derived from the
// normalised titles), then
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
import { charLength, choseong, hasConsonants, isPlainQuery, isSyllable, keystrokeSet, literalPrefix, normalise, partialSyllableRange, plainTierRank, queryGrams, queryVariants, similarityScorer, SIMILAR_THRESHOLD, TIER_RANK, tierMatcher, typoLengthsMeet, typoSimilarity, type MatchTier } from './text/index.js';
import { FIELDS, firstBy, highestFirst, idsByCount, idsByListCount, NOT_NUMBERED, TitleMemory, visibleMask, type MemoryTerm, type TermRecords, type TermWalk } from './title-memory.js';
import { chunks } from '../../db/batch.js';
import { LocalInvalidationBus, type InvalidationBus } from '../../db/invalidation.js';

export const SEARCH_CHANNEL = 'search';

/** Seed 004: the autocomplete sends at most 10 titles. */
export const AUTOCOMPLETE_MAX = 10;
/** At most this many movies in search_result and in similar_result. */
export const SEARCH_RESULT_MAX = 30;
export const SIMILAR_RESULT_MAX = 10;
/** Bounds of the candidate sets scored in code. */
export const PREFIX_CANDIDATES = 300;
export const GRAM_CANDIDATES = 150;
export const CHOSEONG_CANDIDATES = 100;
export const VARIANT_CANDIDATES = 100;
/**
 * A query's grams looked up: its rarest ones (a title containing the query has them all). The
 * count a title shares orders the gram candidates: with all of a query's grams (up to this many),
 * a title like the query comes before one sharing a single rare gram with it.
 */
export const GRAMS_LOOKED_UP = 8;
/** Longest query looked at (characters of the normalised form). */
export const MAX_QUERY_CHARS = 100;

export interface MovieSearchCard {
  movie: Pick<Movie, 'id' | 'name' | 'nameEng' | 'poster' | 'runningTime' | 'watchGrade' | 'ratingCount'>;
  genres: string[];
}

/** A finished answer: the cached object itself is handed out (read only), so a route may keep its serialisation with it. */
export interface MovieSearchResult {
  readonly searchResult: readonly MovieSearchCard[];
  readonly similarResult: readonly MovieSearchCard[];
}

export interface Ranked {
  movieId: number;
  /** 0 exact, 1 prefix, 2 contains, 3 similar. */
  rank: number;
  similarity: number;
  /** Whole-title similarity (tie-break among similar titles). */
  closeness: number;
  /** The term that matched best. */
  field: TermField;
  popularity: number;
}

/** A row of movie_search_terms as written (and as held in memory). */
export type TermValues = MemoryTerm;

/** `grades`: the viewer's visible watch grades (age gate; null = every grade). */
type Grades = readonly WatchGrade[] | null | undefined;


/** Marks a transaction that wrote the index (its end clears the result cache once more), per service instance. */
let instances = 0;

export interface MovieSearchOptions {
  onError?: (err: unknown) => void;
  /** The result cache (config: SEARCH_CACHE_TTL, SEARCH_CACHE_SIZE); ttlMs 0 disables it. */
  cache?: Partial<ResultCacheOptions>;
  /** The terms in memory are checked against the table (and read again if they differ) when older than this (a write made outside the service, a lost message); default 300 s, on the cache's clock. */
  memoryMaxAgeMs?: number;
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
  /** The terms the queries look up (title-memory.ts), loaded on the first query. */
  private memory = new TitleMemory();
  private loading: Promise<void> | null = null;
  private reloading: Promise<void> | null = null;
  private loadedAt = 0;
  private readonly memoryMaxAgeMs: number;
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
    this.now = opts.cache?.now ?? Date.now;
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
    return (await this.terms()).movies;
  }

  /** The terms to look up: loaded on first use (awaited), read again in the background when older than the safety bound. */
  private async terms(): Promise<TitleMemory> {
    if (!this.loading)
      this.loading = this.reload().catch((err) => {
        this.loading = null;
        throw err;
      });
    else if (!this.reloading && this.loadedAt > 0 && this.now() - this.loadedAt >= this.memoryMaxAgeMs) {
      // A write made outside the service (a raw cascade) or a lost message shows after at most this
      // long plus one full read, done in the background: queries meanwhile answer from the terms
      // held (at 100k movies the read takes seconds; every search waiting for it would stall).
      // The full read (and the result cache's clearing) only when the table's checksum differs
      // from the terms held: mostly nothing changed behind the service's back.
      this.reloading = this.recheck().finally(() => (this.reloading = null));
      this.reloading.catch(() => {});
    }
    await this.loading;
    if (this.inflight.size) await Promise.all(this.inflight);
    return this.memory;
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
    const memory = this.memory;
    // From the primary, as the full read (a replica's lag would only cost a needless full read).
    const [got] = (await this.onPrimary(`SELECT COUNT(*) AS n, COALESCE(SUM(${rowChecksumSql(this.ds)}), 0) AS total FROM movie_search_terms`, [])) as Array<{ n: unknown; total: unknown }>;
    return seq === this.seq && memory === this.memory && !this.inflight.size && num(got!.n) === memory.checksum.terms && num(got!.total) === memory.checksum.sum;
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
    const rows = await this.readTerms(null);
    const next = new TitleMemory();
    await next.load(rows);
    // Movies refreshed since this read began (applied to the current terms, or to be applied after the swap) keep theirs.
    for (const [id, stamp] of this.stamps) {
      if (stamp > s) next.replace(id, this.memory.termsOf(id));
      // An older refresh can no longer apply (s > its number): its stamp is not needed.
      else this.stamps.delete(id);
    }
    this.memory = next;
    this.fullApplied = s;
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
    if (s > this.fullApplied) {
      const byMovie = new Map<number, MemoryTerm[]>(ids.map((id) => [id, []]));
      for (const t of rows) byMovie.get(t.movieId)?.push(t);
      for (const [id, terms] of byMovie) if (this.stamps.get(id) === s) this.memory.replace(id, terms);
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
    const mem = await this.terms();
    const tiers = new TierRanking(mem, q, true);
    const { rows } = rankPrefixWalk(prefixWalk(mem, q, true, grades), tiers, 2 * AUTOCOMPLETE_MAX);
    let ranked = tiers.ranked();
    // Not enough titles start with it: titles containing it.
    if (ranked.length < AUTOCOMPLETE_MAX) ranked = this.rank(mem, q, [rows, gramCandidates(mem, q, true, grades)], { partialLast: true, similar: 0, visible: visibleMask(grades) });
    // Titles of the best (twice as many as shown: two movies may share a title).
    const top = firstBy(ranked, 2 * AUTOCOMPLETE_MAX, byRelevance).sort(byRelevance);
    const out: string[] = [];
    for (const r of top) {
      const title = mem.termsOf(r.movieId).find((t) => t.field === r.field)?.title;
      if (title !== undefined && !out.includes(title)) out.push(title);
      if (out.length === AUTOCOMPLETE_MAX) break;
    }
    return out;
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
    const mem = await this.terms();
    // The titles starting with the query, best first, until the shown ones are settled (rankPrefixWalk).
    // With lone consonants the range is that of the literal part before them, so some of its terms
    // match in no tier and are scored for similarity: all of its candidates are taken.
    const tiers = new TierRanking(mem, q, false);
    const { unmatched, settled } = rankPrefixWalk(prefixWalk(mem, q, false, grades), tiers, hasConsonants(q) ? Infinity : SEARCH_RESULT_MAX);
    // The candidate lists overlap (a title found by its prefix and by its grams); the ranking keeps the best per movie.
    // With the shown matches settled, titles containing the query are neither shown (they come after
    // them) nor similar (literal): when every gram candidate is such a title, none is looked up.
    const lists = settled && gramsFindOnlyContaining(q) ? [] : [gramCandidates(mem, q, false, grades)];
    // A Korean query with a wrong vowel still has the right initial consonants.
    if (!hasConsonants(q) && charLength(q) >= 2 && [...q].some(isSyllable)) lists.push(choseongCandidates(mem, q, grades));
    // A short Korean title one syllable wrong, missing or extra.
    if (!hasConsonants(q)) lists.push(variantCandidates(mem, q, grades));
    const ranked = this.rank(mem, q, lists, { partialLast: false, similar: SIMILAR_RESULT_MAX, visible: visibleMask(grades) }, tiers, unmatched);
    // The best of each list (byRelevance is a total order: selecting, then sorting the few, is sorting all and cutting).
    const matched = firstBy(ranked.filter((r) => r.rank < 3), SEARCH_RESULT_MAX, byRelevance).sort(byRelevance);
    const similar = firstBy(ranked.filter((r) => r.rank === 3), SIMILAR_RESULT_MAX, byRelevance).sort(byRelevance);
    // The cards from the catalog's read cache (the public projection: name, poster, grade, genre names).
    // The views themselves are the cards (a card's text is kept per view: movie-card.ts).
    const cards = new Map<number, MovieSearchCard>((await this.catalog.viewsOf([...matched, ...similar].map((r) => r.movieId))).map((v) => [v.movie.id, v]));
    const pick = (rs: Ranked[]) => rs.map((r) => cards.get(r.movieId)).filter((c): c is MovieSearchCard => !!c);
    return { searchResult: pick(matched), similarResult: pick(similar) };
  }

  // ---- ranking ----------------------------------------------------------------------------------------------

  /**
   * Best tier (or, for the movies without one, similarity) per movie over its terms, from candidate
   * lists that may overlap (a term in two lists scores the same twice; the order does not matter).
   * `similar`: how many similar movies are shown (0: none scored). Every movie with a tier is
   * ranked; of the similar ones only those that can be among the `similar` best (by similarity,
   * ties included), since only they need the closeness tie-break.
   */
  private rank(
    mem: TitleMemory,
    q: string,
    lists: ReadonlyArray<readonly number[]>,
    opts: { partialLast: boolean; similar: number; /** the viewer's visibleMask */ visible: number },
    tiers = new TierRanking(mem, q, opts.partialLast),
    unmatched: number[] = [],
  ): Ranked[] {
    const best = tiers.best;
    const records = mem.records;
    for (const slots of lists) for (const slot of slots) if (!tiers.add(slot)) unmatched.push(slot);
    if (opts.similar > 0 && unmatched.length) {
      // Scored synchronously against the numbering of the terms' bigrams as it is now.
      const scorer = similarityScorer(q, mem.numbers);
      const keys = keystrokeSet(q);
      const queryChars = charLength(q);
      // The candidate lists overlap (a title found by its prefix and by its grams): score a term once.
      records.newRound();
      const similar: Array<{ slot: number; sim: number }> = [];
      const movieSim = new Map<number, number>();
      const literalMovies = new Map<number, boolean>();
      const literal = (id: number) => {
        let is = literalMovies.get(id);
        if (is === undefined) {
          is = false;
          for (let field = 0; field < FIELDS && !is; field++) {
            const slot = mem.slotOf(id, field);
            is = slot >= 0 && (records.gradeBitOf(slot) & opts.visible) !== 0 && tiers.matches(slot);
          }
          literalMovies.set(id, is);
        }
        return is;
      };
      for (const slot of unmatched) {
        const movieId = records.movieOf(slot);
        // A movie matched literally by one of its titles is not "similar".
        if ((best.get(movieId)?.rank ?? 3) < 3) continue;
        // Not a keystroke in common: it would score 0 (text/similarity.ts).
        if (!records.meets(slot, keys) || !records.mark(slot)) continue;
        const count = records.bigramCount(slot);
        const keystrokes = count === NOT_NUMBERED ? scorer.similarityAtLeast(records.term(slot).norm, SIMILAR_THRESHOLD) : scorer.similarityAtLeastNumbered(records.text, records.bigramsAt(slot), count, SIMILAR_THRESHOLD);
        // The typo score only where the lengths allow one (it reads the title's text).
        const sim = typoLengthsMeet(queryChars, records.charsOf(slot)) ? Math.max(typoSimilarity(q, records.term(slot).norm), keystrokes) : keystrokes;
        if (sim < SIMILAR_THRESHOLD) continue;
        // Nor by a visible title that is not among the candidates (the prefix walk stops once the shown ones are settled).
        if (literal(movieId)) continue;
        similar.push({ slot, sim });
        if (sim > (movieSim.get(movieId) ?? -1)) movieSim.set(movieId, sim);
      }
      // Every numbered score is taken: the numbering's table goes back for the next query.
      scorer.release();
      // The similarity the shown movies reach at least: a movie below it is not shown whatever its
      // closeness (it only breaks ties of similarity), and neither is a title below its movie's best.
      const sims = [...movieSim.values()];
      const cut = sims.length <= opts.similar ? -Infinity : Math.min(...firstBy(sims, opts.similar, (a, b) => b - a));
      for (const { slot, sim } of similar) {
        const movieId = records.movieOf(slot);
        if (sim < cut || sim < movieSim.get(movieId)!) continue;
        const field = records.fieldOf(slot);
        const next = { movieId, rank: 3, similarity: sim, closeness: scorer.closeness(records.term(slot).norm), field, popularity: records.popularityOf(slot) };
        if (better(best.get(movieId), next, field)) best.set(movieId, next);
      }
    }
    return [...best.values()];
  }
}

/** Whether `next` (of the term's `field`) is better than `prev` for its movie: tier, similarity, closeness, then the Korean name over the English one. */
function better(prev: Ranked | undefined, next: Ranked, field: TermField): boolean {
  return !prev || next.rank < prev.rank || (next.rank === prev.rank && (next.similarity > prev.similarity || (next.similarity === prev.similarity && (next.closeness > prev.closeness || (next.closeness === prev.closeness && field === 'name')))));
}

/** The best tier (exact, prefix, contains) per movie over the terms added, by slot of `mem`'s records (ranking's literal half). */
export class TierRanking {
  readonly best = new Map<number, Ranked>();
  readonly records: TermRecords;
  private readonly tierOf: (title: string) => MatchTier | null;
  /** A plain query's code units (null: matched through tierOf, from the title's string). */
  private readonly plain: Uint16Array | null;

  constructor(mem: TitleMemory, q: string, partialLast: boolean) {
    this.records = mem.records;
    this.tierOf = tierMatcher(q, { partialLast });
    this.plain = isPlainQuery(q, { partialLast }) ? Uint16Array.from({ length: q.length }, (_, i) => q.charCodeAt(i)) : null;
  }

  /** TIER_RANK of the term in the slot, or -1 when it matches the query in no tier. */
  private rankOf(slot: number): number {
    const records = this.records;
    if (this.plain) return plainTierRank(this.plain, records.text, records.normAt(slot), records.normUnits(slot));
    const tier = this.tierOf(records.term(slot).norm);
    return tier ? TIER_RANK[tier] : -1;
  }

  /** Folds the term in; false when it matches the query in no tier. */
  add(slot: number): boolean {
    const rank = this.rankOf(slot);
    if (rank < 0) return false;
    const records = this.records;
    const movieId = records.movieOf(slot);
    const field = records.fieldOf(slot);
    const next = { movieId, rank, similarity: 1, closeness: 1, field, popularity: records.popularityOf(slot) };
    if (better(this.best.get(movieId), next, field)) this.best.set(movieId, next);
    return true;
  }

  /** Whether the term matches the query in a tier (without folding it in). */
  matches(slot: number): boolean {
    return this.rankOf(slot) >= 0;
  }

  /** The best per movie so far. */
  ranked(): Ranked[] {
    return [...this.best.values()];
  }
}

/**
 * The ranking of a prefix walk's first PREFIX_CANDIDATES terms (what rank() gives for them),
 * stopping early once `enough` movies are known to be among the best: a movie is settled when
 * it matches exactly, or by prefix while ahead (more rated, or as rated with a lower id) of the
 * next term — every term after it is no better than a prefix match of that term, and none of the
 * walk's later terms is as long as the query (exact-length ones come first), so none is exact.
 * The `enough` best of what is returned are then the `enough` best of all the candidates, and
 * `rows` are the terms taken (all the candidates when it did not stop early). `settled`: the
 * `enough` best exact and prefix matches of every visible term are known (it stopped early, or it
 * ran out before PREFIX_CANDIDATES with at least `enough` of them), so no title that only contains
 * the query is among the `enough` best.
 */
export function rankPrefixWalk(walk: TermWalk, tiers: TierRanking, enough: number): { rows: number[]; unmatched: number[]; settled: boolean } {
  const records = tiers.records;
  const rows: number[] = [];
  const unmatched: number[] = [];
  // Movies matching by prefix (rank 1) that may be settled, in walk order: those of the exact-length
  // terms, and those of the rest (taken in rating order, so settled in that order).
  const waiting: Ranked[][] = [[], []];
  const at = [0, 0];
  const settled = new Set<number>();
  const ahead = (m: Ranked, popularity: number, movieId: number) => m.popularity > popularity || (m.popularity === popularity && m.movieId < movieId);
  while (rows.length < PREFIX_CANDIDATES) {
    const exact = walk.inExact;
    const t = walk.next();
    if (t < 0) break;
    const movieId = records.movieOf(t);
    if (!exact) {
      const popularity = records.popularityOf(t);
      for (const k of [0, 1]) {
        const list = waiting[k]!;
        while (at[k]! < list.length && ahead(list[at[k]!]!, popularity, movieId)) settled.add(list[at[k]!++]!.movieId);
      }
      if (settled.size >= enough) return { rows, unmatched, settled: true };
    }
    rows.push(t);
    if (!tiers.add(t)) {
      unmatched.push(t);
      continue;
    }
    const r = tiers.best.get(movieId)!;
    if (r.rank === 0) settled.add(movieId);
    else if (r.rank === 1) waiting[exact ? 0 : 1]!.push(r);
  }
  // The walk ran out (not cut at PREFIX_CANDIDATES): every exact and prefix match is known.
  if (rows.length < PREFIX_CANDIDATES) {
    let matched = 0;
    for (const r of tiers.best.values()) if (r.rank < 2) matched++;
    return { rows, unmatched, settled: matched >= enough };
  }
  return { rows, unmatched, settled: false };
}

// ---- candidates (looked up in the terms held in memory; each answers visible terms only) -------------

/**
 * Terms starting with the query (or, for consonant input, whose 초성 do), best first: as long as
 * the query first (exact), then the most rated, then by movie id and field (TermWalk).
 */
export function prefixWalk(mem: TitleMemory, q: string, partialLast: boolean, grades: Grades): TermWalk {
  const literal = literalPrefix(q, { partialLast });
  const chars = [...q];
  const last = chars[chars.length - 1]!;
  if (partialLast && !hasConsonants(q) && isSyllable(last)) {
    // An unfinished last syllable: the syllables it can still become are one run of code points
    // (same initial and vowel, any final; compound vowels follow their first half): one range.
    const [lo, hi] = partialSyllableRange(last);
    return mem.normRange(literal + lo, literal + hi, grades, chars.length);
  }
  if (literal) return mem.normRange(literal, undefined, grades, chars.length);
  return mem.choseongPrefix(choseong(q), grades, chars.length);
}

/**
 * Titles about as long as the query whose 초성 start with the query's (typo candidates of a Korean
 * full search: a wrong vowel keeps the consonants). Longer titles are reached through the grams.
 */
function choseongCandidates(mem: TitleMemory, q: string, grades: Grades): number[] {
  return mem.shortChoseongPrefix(choseong(q), charLength(q) + 2, grades, charLength(q)).take(CHOSEONG_CANDIDATES);
}

/** The movies whose deletion neighbourhood meets the query's (text/typos.ts): most shared variants first, then the most rated. */
function variantCandidates(mem: TitleMemory, q: string, grades: Grades): number[] {
  const byCount = idsByListCount(queryVariants(q).map((key) => mem.moviesWithVariant(key)));
  return mem.visibleTermsOfMostRated(highestFirst(byCount, 1), VARIANT_CANDIDATES, grades);
}

/**
 * Whether every title gramCandidates finds for a full search contains the query: a one-character
 * query (titles with a gram starting with it), or one whose only gram is itself (two characters,
 * or three Latin ones). A movie's titles share its grade, so such a movie is matched literally.
 */
export function gramsFindOnlyContaining(q: string): boolean {
  if (hasConsonants(q)) return false;
  if (charLength(q) === 1) return true;
  const grams = queryGrams(q);
  return grams.length === 1 && grams[0] === q;
}

/** The movies sharing the most of the query's rarest grams (or, for one literal character, grams starting with it). */
export function gramCandidates(mem: TitleMemory, q: string, partialLast: boolean, grades: Grades): number[] {
  const chars = [...q];
  if (partialLast && isSyllable(chars[chars.length - 1]!)) chars.pop();
  // Literal runs between lone consonants.
  const runs = chars.join('').split(/[ㄱ-ㅎ]/u).filter(Boolean);
  const grams = [...new Set(runs.flatMap((r) => queryGrams(r)))];
  const one = runs.sort((a, b) => b.length - a.length)[0];
  let ordered: Array<readonly number[]>;
  if (grams.length) {
    // The rarest of the query's grams (a title containing the query has them all; grams no title has drop out).
    const looked = grams
      .filter((g) => mem.frequency(g) > 0)
      .sort((a, b) => mem.frequency(a) - mem.frequency(b) || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, GRAMS_LOOKED_UP);
    // Most shared first, then the most rated. Autocomplete shows only titles containing the query's literal
    // runs: such a title has every gram looked up.
    const byCount = idsByListCount(looked.map((g) => mem.moviesWithGram(g)));
    ordered = highestFirst(byCount, partialLast ? looked.length : 1);
  } else if (one) {
    ordered = highestFirst(idsByCount(mem.gramsStartingWith(one)), 1);
  } else return [];
  // Only the terms sharing a keystroke with the query (the movie's other title, in another script, can neither match nor be similar).
  return mem.visibleTermsOfMostRated(ordered, GRAM_CANDIDATES, grades, keystrokeSet(q));
}

/** Tier, then (similar only) similarity and whole-title closeness, then rating count, then id. */
export function byRelevance(a: Ranked, b: Ranked): number {
  return a.rank - b.rank || (a.rank === 3 ? b.similarity - a.similarity || b.closeness - a.closeness : 0) || b.popularity - a.popularity || a.movieId - b.movieId;
}
