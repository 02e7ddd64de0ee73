// Movie search (seed 004 "search/movie/…"): autocomplete and the full search with similar titles.
//
// The index (movie_search_terms, movie_search_grams, and the gram frequencies) is written only
// here, through the catalog's MovieTitleIndex port, inside the catalog's own transactions. A query
// never reads the movies table:
//   1. prefix candidates: a range on the covering index of the normalised title (or of the 초성
//      string for consonant input), exact length first, then by rating count, at most PREFIX_CANDIDATES;
//   2. contains / typo candidates: the movies having the query's GRAMS_LOOKED_UP rarest grams (a
//      title containing the query has them all), most shared grams first, at most GRAM_CANDIDATES;
//   3. for a Korean full search, titles about as long with the query's 초성 as a prefix (vowel typos);
//   4. for a Korean full search, the short titles one syllable wrong, missing or extra: the query and
//      its one-character deletions looked up in the titles' deletion neighbourhoods
//      (movie_search_variants, text/typos.ts), at most VARIANT_CANDIDATES;
// then scores that bounded set in code (text/match.ts, text/similarity.ts) and ranks it:
// exact, prefix, contains, then similar (by similarity), ties by rating count then id.
//
// Finished answers of both endpoints are kept in an in-process LRU (result-cache.ts) keyed by the
// endpoint, the normalised query and the viewer's visible grade set (the age gate), for at most
// SEARCH_CACHE_TTL. Every index write of this process (upsert, remove, a rating's popularity, the
// rebuild) clears it at once and again when its transaction ends, and so does every gram frequency
// change: this process answers exactly. The end of such a transaction (and a frequency change) is
// published on the `search` invalidation channel, and the runtime clears the cache on every catalog
// change (genre names and links of the cards): other replicas clear theirs within milliseconds
// (Redis pub/sub); the TTL only bounds a lost message.
import type { DataSource, EntityManager, EntitySubscriberInterface, SelectQueryBuilder, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import { dialectOf, num } from '../../db/data-source.js';
import { whereGradeVisible } from '../age/age.policy.js';
import { gradesKey, type CatalogService } from '../catalog/catalog.service.js';
import type { Movie, WatchGrade } from '../catalog/movie.entity.js';
import type { IndexedTitle, MovieTitleIndex } from '../catalog/title-index.js';
import { GramFrequencies } from './gram-frequencies.js';
import { MovieSearchGram, MovieSearchGramDf, MovieSearchTerm, MovieSearchVariant, type TermField } from './movie-search.entities.js';
import { DEFAULT_RESULT_CACHE, ResultCache, type ResultCacheOptions } from './result-cache.js';
import { charLength, choseong, hasConsonants, indexGrams, isSyllable, literalPrefix, normalise, partialSyllableRange, queryGrams, queryVariants, similarityScorer, SIMILAR_THRESHOLD, TIER_RANK, tierMatcher, titleVariants, typoSimilarity } from './text/index.js';
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
export const GRAM_CANDIDATES = 300;
export const CHOSEONG_CANDIDATES = 100;
export const VARIANT_CANDIDATES = 100;
/** A query's grams looked up: its rarest ones (a title containing the query has them all). */
export const GRAMS_LOOKED_UP = 2;
/** Longest query looked at (characters of the normalised form). */
export const MAX_QUERY_CHARS = 100;

export interface MovieSearchCard {
  movie: Pick<Movie, 'id' | 'name' | 'nameEng' | 'poster' | 'runningTime' | 'watchGrade' | 'ratingCount'>;
  genres: string[];
}

export interface MovieSearchResult {
  searchResult: MovieSearchCard[];
  similarResult: MovieSearchCard[];
}

/** A candidate term: the columns the covering indexes hold (the title is read only for the few shown). */
interface TermRow {
  movieId: number;
  field: TermField;
  norm: string;
  popularity: number;
}

interface Ranked {
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

interface Condition {
  where: string;
  params: Record<string, string>;
}

/** A row of movie_search_terms as written. */
export interface TermValues {
  movieId: number;
  field: TermField;
  title: string;
  norm: string;
  choseong: string;
  len: number;
  popularity: number;
  watchGrade: WatchGrade | null;
}

/** `grades`: the viewer's visible watch grades (age gate; null = every grade). */
type Grades = readonly WatchGrade[] | null | undefined;


/** Marks a transaction that wrote the index (its end clears the result cache once more), per service instance. */
let instances = 0;

export interface MovieSearchOptions {
  onError?: (err: unknown) => void;
  /** The result cache (config: SEARCH_CACHE_TTL, SEARCH_CACHE_SIZE); ttlMs 0 disables it. */
  cache?: Partial<ResultCacheOptions>;
}

/** The index rows of one movie (pure: exported for the tests and the bench). */
export function termsOf(t: IndexedTitle): { terms: TermValues[]; grams: string[]; variants: string[] } {
  const terms: TermValues[] = [];
  const grams = new Set<string>();
  const variants = new Set<string>();
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
    for (const g of indexGrams(norm)) grams.add(g);
    for (const v of titleVariants(norm)) variants.add(v);
  }
  return { terms, grams: [...grams], variants: [...variants] };
}

export class MovieSearchService implements MovieTitleIndex {
  private readonly frequencies: GramFrequencies;
  /** Finished answers of both endpoints (see result-cache.ts), cleared by every index change of this process. */
  readonly cache: ResultCache<string[] | MovieSearchResult>;
  private readonly written = `movieSearchIndexWritten#${++instances}`;
  private bus: InvalidationBus = new LocalInvalidationBus();

  constructor(
    private readonly ds: DataSource,
    private readonly catalog: CatalogService,
    opts: MovieSearchOptions = {},
  ) {
    this.cache = new ResultCache({ ...DEFAULT_RESULT_CACHE, ...opts.cache });
    // A gram frequency change (applied after its transaction commits) changes which grams a query looks up.
    this.frequencies = new GramFrequencies(ds, opts.onError, () => this.clearEverywhere());
    // A transaction subscriber of this DataSource: the end of a transaction that wrote the index.
    const ended = (event: TransactionCommitEvent | TransactionRollbackEvent) => this.transactionEnded(event);
    ds.subscribers.push({ afterTransactionCommit: ended, afterTransactionRollback: ended } satisfies EntitySubscriberInterface);
  }

  // ---- the result cache's freshness ----------------------------------------------------------------------

  /** Other processes' index changes clear this cache; this process's are published to them. */
  useInvalidation(bus: InvalidationBus): void {
    this.bus = bus;
    bus.subscribe(SEARCH_CHANNEL, () => this.cache.clear());
  }

  private clearEverywhere(): void {
    this.cache.clear();
    this.bus.publish(SEARCH_CHANNEL, { all: true });
  }

  /**
   * The index is being written through `m`: the cached answers go now, and once more when the
   * transaction ends (an answer computed meanwhile read the old rows; the generation check of
   * ResultCache.set drops it, and the second clear drops what was stored before the commit).
   */
  private indexChanging(m: EntityManager): void {
    this.cache.clear();
    const qr = m.queryRunner;
    if (qr?.isTransactionActive) qr.data[this.written] = true;
  }

  /** Outside a transaction the write is visible once it returns. */
  private indexChanged(m: EntityManager): void {
    if (!m.queryRunner?.isTransactionActive) this.clearEverywhere();
  }

  private transactionEnded(event: TransactionCommitEvent | TransactionRollbackEvent): void {
    // A released savepoint is not the end of the transaction.
    if (event.queryRunner.isTransactionActive || !event.queryRunner.data?.[this.written]) return;
    delete event.queryRunner.data[this.written];
    this.clearEverywhere();
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
    this.indexChanging(m);
    const ids = [...new Set(movies.map((t) => t.id))];
    const old = await this.currentRows(m, ids);
    const df = new Map<string, number>();
    const addDf = (gram: string, d: number) => df.set(gram, (df.get(gram) ?? 0) + d);
    const termsToInsert: TermValues[] = [];
    const gramsToInsert: Array<{ gram: string; movieId: number }> = [];
    const variantsToInsert: Array<{ variant: string; movieId: number }> = [];
    for (const t of movies) {
      const want = termsOf(t);
      const haveTerms = old.terms.get(t.id) ?? new Map<TermField, TermValues>();
      for (const term of want.terms) {
        const have = haveTerms.get(term.field);
        haveTerms.delete(term.field);
        if (!have) termsToInsert.push(term);
        else if (have.title !== term.title || have.norm !== term.norm || have.choseong !== term.choseong || have.len !== term.len || have.watchGrade !== term.watchGrade || have.popularity !== term.popularity) {
          await m.update(MovieSearchTerm, { movieId: t.id, field: term.field }, { title: term.title, norm: term.norm, choseong: term.choseong, len: term.len, watchGrade: term.watchGrade, popularity: term.popularity });
        }
      }
      for (const field of haveTerms.keys()) await m.delete(MovieSearchTerm, { movieId: t.id, field });
      const haveGrams = old.grams.get(t.id) ?? new Set<string>();
      const gone = new Set(haveGrams);
      for (const gram of want.grams) {
        if (gone.delete(gram)) continue;
        gramsToInsert.push({ gram, movieId: t.id });
        addDf(gram, 1);
      }
      if (gone.size) {
        await m.createQueryBuilder().delete().from(MovieSearchGram).where('movie_id = :id AND gram IN (:...gone)', { id: t.id, gone: [...gone] }).execute();
        for (const gram of gone) addDf(gram, -1);
      }
      const goneVariants = new Set(old.variants.get(t.id));
      for (const variant of want.variants) if (!goneVariants.delete(variant)) variantsToInsert.push({ variant, movieId: t.id });
      if (goneVariants.size) await m.createQueryBuilder().delete().from(MovieSearchVariant).where('movie_id = :id AND variant IN (:...gone)', { id: t.id, gone: [...goneVariants] }).execute();
    }
    for (const part of chunks(termsToInsert, 500)) await m.createQueryBuilder().insert().into(MovieSearchTerm).values(part).updateEntity(false).execute();
    // orIgnore: two grams that differ only in what MySQL's collation ignores share one row.
    for (const part of chunks(gramsToInsert, 2000)) await m.createQueryBuilder().insert().into(MovieSearchGram).values(part).orIgnore().updateEntity(false).execute();
    for (const part of chunks(variantsToInsert, 2000)) await m.createQueryBuilder().insert().into(MovieSearchVariant).values(part).orIgnore().updateEntity(false).execute();
    this.indexChanged(m);
    await this.frequencies.add(m, df);
  }

  async remove(m: EntityManager, ids: readonly number[]): Promise<void> {
    const unique = [...new Set(ids)];
    if (!unique.length) return;
    this.indexChanging(m);
    const old = await this.currentRows(m, unique);
    const df = new Map<string, number>();
    for (const [movieId, grams] of old.grams) {
      await m.createQueryBuilder().delete().from(MovieSearchGram).where('movie_id = :movieId AND gram IN (:...grams)', { movieId, grams: [...grams] }).execute();
      for (const gram of grams) df.set(gram, (df.get(gram) ?? 0) - 1);
    }
    for (const [movieId, variants] of old.variants) await m.createQueryBuilder().delete().from(MovieSearchVariant).where('movie_id = :movieId AND variant IN (:...variants)', { movieId, variants: [...variants] }).execute();
    for (const [movieId, terms] of old.terms) for (const field of terms.keys()) await m.delete(MovieSearchTerm, { movieId, field });
    this.indexChanged(m);
    await this.frequencies.add(m, df);
  }

  /** The movies' index rows as they are (plain reads: the callers hold the movies' locks). */
  private async currentRows(m: EntityManager, ids: number[]): Promise<{ terms: Map<number, Map<TermField, TermValues>>; grams: Map<number, Set<string>>; variants: Map<number, Set<string>> }> {
    const terms = new Map<number, Map<TermField, TermValues>>();
    const grams = new Map<number, Set<string>>();
    const variants = new Map<number, Set<string>>();
    for (const part of chunks(ids, 1000)) {
      const termRows = await m.getRepository(MovieSearchTerm).createQueryBuilder('t').where('t.movie_id IN (:...ids)', { ids: part }).getMany();
      const gramRows = await m
        .createQueryBuilder()
        .select(['g.movie_id AS movieId', 'g.gram AS gram'])
        .from(MovieSearchGram, 'g')
        .where('g.movie_id IN (:...ids)', { ids: part })
        .getRawMany<{ movieId: unknown; gram: string }>();
      const variantRows = await m
        .createQueryBuilder()
        .select(['v.movie_id AS movieId', 'v.variant AS variant'])
        .from(MovieSearchVariant, 'v')
        .where('v.movie_id IN (:...ids)', { ids: part })
        .getRawMany<{ movieId: unknown; variant: string }>();
      for (const v of variantRows) {
        const id = num(v.movieId);
        const set = variants.get(id) ?? new Set<string>();
        set.add(v.variant);
        variants.set(id, set);
      }
      for (const t of termRows) {
        const byField = terms.get(t.movieId) ?? new Map<TermField, TermValues>();
        byField.set(t.field, { movieId: t.movieId, field: t.field, title: t.title, norm: t.norm, choseong: t.choseong, len: t.len, popularity: t.popularity, watchGrade: t.watchGrade });
        terms.set(t.movieId, byField);
      }
      for (const g of gramRows) {
        const id = num(g.movieId);
        const set = grams.get(id) ?? new Set<string>();
        set.add(g.gram);
        grams.set(id, set);
      }
    }
    return { terms, grams, variants };
  }

  /** A rating moved the movie's count: equally relevant titles may reorder, so the cached answers go too. */
  async adjustPopularity(m: EntityManager, movieId: number, delta: number): Promise<void> {
    this.indexChanging(m);
    await m
      .createQueryBuilder()
      .update(MovieSearchTerm)
      .set({ popularity: () => `popularity + ${Math.trunc(delta)}` })
      .where('movie_id = :movieId', { movieId })
      .execute();
    this.indexChanged(m);
  }

  /**
   * Rebuilds the index of every movie, `batchSize` movies per transaction (after a bulk load, or as
   * the repair job `search.reindex`). Searches keep working meanwhile: each batch swaps its rows
   * atomically. Deleted movies' rows are already gone (ON DELETE CASCADE).
   */
  async rebuild(opts: { batchSize?: number; onProgress?: (done: number) => Promise<void> | void } = {}): Promise<{ movies: number; terms: number; grams: number; ms: number }> {
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
    // Exact frequencies again (a panel's raw delete cascades without counting down).
    await this.ds.transaction(async (m) => {
      await m.createQueryBuilder().delete().from(MovieSearchGramDf).execute();
      this.indexChanging(m);
      await m.query('INSERT INTO movie_search_gram_df (gram, df) SELECT gram, COUNT(*) FROM movie_search_grams GROUP BY gram');
    });
    const [terms, grams] = await Promise.all([this.ds.getRepository(MovieSearchTerm).count(), this.ds.getRepository(MovieSearchGram).count()]);
    return { movies, terms, grams, ms: Date.now() - t0 };
  }

  // ---- queries ----------------------------------------------------------------------------------------

  /** Up to 10 titles for what is being typed (exact, prefix, contains; the last syllable may be unfinished). */
  async autocomplete(words: string, grades?: Grades): Promise<string[]> {
    const q = normalise(words).slice(0, MAX_QUERY_CHARS);
    if (!q) return [];
    const key = `a\u0000${gradesKey(grades)}\u0000${q}`;
    const cached = this.cache.get(key) as string[] | undefined;
    if (cached) return [...cached];
    const generation = this.cache.generation;
    const out = await this.autocompleteUncached(q, grades);
    this.cache.set(key, out, generation);
    return [...out];
  }

  private async autocompleteUncached(q: string, grades: Grades): Promise<string[]> {
    const rows = await this.prefixCandidates(q, true, grades);
    let ranked = this.rank(q, rows, { partialLast: true, similar: false });
    // Not enough titles start with it: titles containing it.
    if (ranked.length < AUTOCOMPLETE_MAX) ranked = this.rank(q, [...rows, ...(await this.gramCandidates(q, true, grades))], { partialLast: true, similar: false });
    // Titles of the best (twice as many as shown: two movies may share a title).
    const top = ranked.sort(byRelevance).slice(0, 2 * AUTOCOMPLETE_MAX);
    if (!top.length) return [];
    const titles = new Map(
      (
        await this.ds
          .getRepository(MovieSearchTerm)
          .createQueryBuilder('t')
          .select(['t.movie_id AS movieId', 't.field AS field', 't.title AS title'])
          .where('t.movie_id IN (:...ids)', { ids: top.map((r) => r.movieId) })
          .getRawMany<{ movieId: unknown; field: TermField; title: string }>()
      ).map((r) => [`${num(r.movieId)}:${r.field}`, r.title]),
    );
    const out: string[] = [];
    for (const r of top) {
      const title = titles.get(`${r.movieId}:${r.field}`);
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
    if (cached) return { searchResult: [...cached.searchResult], similarResult: [...cached.similarResult] };
    const generation = this.cache.generation;
    const out = await this.searchUncached(q, grades);
    this.cache.set(key, out, generation);
    return { searchResult: [...out.searchResult], similarResult: [...out.similarResult] };
  }

  private async searchUncached(q: string, grades: Grades): Promise<MovieSearchResult> {
    const lookups = [this.prefixQuery(q, false, grades), this.gramQuery(q, false, grades)];
    // A Korean query with a wrong vowel still has the right initial consonants.
    if (!hasConsonants(q) && charLength(q) >= 2 && [...q].some(isSyllable)) lookups.push(this.choseongQuery(q, grades));
    // A short Korean title one syllable wrong, missing or extra.
    if (!hasConsonants(q)) lookups.push(this.variantQuery(q, grades));
    // The lookups in ONE statement (each keeps its own order and limit; the ranking below does not
    // depend on the order of the rows).
    const rows = await this.candidates(lookups.filter((x): x is SelectQueryBuilder<MovieSearchTerm> => x !== null));
    const ranked = this.rank(q, rows, { partialLast: false, similar: true }).sort(byRelevance);
    const matched = ranked.filter((r) => r.rank < 3).slice(0, SEARCH_RESULT_MAX);
    const similar = ranked.filter((r) => r.rank === 3).slice(0, SIMILAR_RESULT_MAX);
    // The cards from the catalog's read cache (the public projection: name, poster, grade, genre names).
    const cards = new Map<number, MovieSearchCard>((await this.catalog.viewsOf([...matched, ...similar].map((r) => r.movieId))).map((v) => [v.movie.id, { movie: v.movie, genres: v.genres }]));
    const pick = (rs: Ranked[]) => rs.map((r) => cards.get(r.movieId)).filter((c): c is MovieSearchCard => !!c);
    return { searchResult: pick(matched), similarResult: pick(similar) };
  }

  /** The rows of several candidate lookups, in one statement (UNION ALL of derived tables: both dialects). */
  private async candidates(lookups: Array<SelectQueryBuilder<MovieSearchTerm>>): Promise<TermRow[]> {
    if (!lookups.length) return [];
    if (lookups.length === 1) return toRows(await lookups[0]!.getRawMany());
    const parts: string[] = [];
    const params: unknown[] = [];
    lookups.forEach((qb, k) => {
      const [sql, p] = qb.getQueryAndParameters();
      parts.push(`SELECT c${k}.movieId AS movieId, c${k}.field AS field, c${k}.norm AS norm, c${k}.popularity AS popularity FROM (${sql}) c${k}`);
      params.push(...p);
    });
    return toRows(await this.ds.query(parts.join(' UNION ALL '), params));
  }

  // ---- candidates ----------------------------------------------------------------------------------------

  /**
   * THE base query of every candidate lookup: index terms the viewer may see. The age gate's grade
   * filter is applied here and only here.
   */
  private visibleTerms(grades: Grades): SelectQueryBuilder<MovieSearchTerm> {
    const qb = this.ds
      .getRepository(MovieSearchTerm)
      .createQueryBuilder('t')
      .select(['t.movie_id AS movieId', 't.field AS field', 't.norm AS norm', 't.popularity AS popularity']);
    return whereGradeVisible(qb, 't.watch_grade', grades);
  }

  /** `column` starts with `prefix` — an index range on both dialects (normalised text has no LIKE metacharacters). */
  private prefixCondition(column: string, prefix: string, param: string): Condition {
    if (dialectOf(this.ds) === 'sqlite') {
      // SQLite compares text bytewise: [prefix, prefix + U+10FFFF) is every string starting with it.
      return { where: `${column} >= :${param}Lo AND ${column} < :${param}Hi`, params: { [`${param}Lo`]: prefix, [`${param}Hi`]: `${prefix}\u{10FFFF}` } };
    }
    return { where: `${column} LIKE :${param}`, params: { [param]: `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%` } };
  }

  /** Terms starting with the query: as long as the query first (exact), then the most rated. */
  private async prefixCandidates(q: string, partialLast: boolean, grades: Grades): Promise<TermRow[]> {
    return toRows(await this.prefixQuery(q, partialLast, grades).getRawMany());
  }

  private prefixQuery(q: string, partialLast: boolean, grades: Grades): SelectQueryBuilder<MovieSearchTerm> {
    const literal = literalPrefix(q, { partialLast });
    const chars = [...q];
    const last = chars[chars.length - 1]!;
    let cond: Condition;
    if (partialLast && !hasConsonants(q) && isSyllable(last)) {
      // An unfinished last syllable: the syllables it can still become are one run of code points
      // (same initial and vowel, any final; compound vowels follow their first half), so the
      // candidates are one index range. (MySQL's utf8mb4_unicode_ci orders syllables by code point.)
      const [lo, hi] = partialSyllableRange(last);
      cond = { where: 't.norm >= :pLo AND t.norm < :pHi', params: { pLo: literal + lo, pHi: literal + hi } };
    } else if (literal) cond = this.prefixCondition('t.norm', literal, 'pfx');
    // Consonant input goes through the 초성 column.
    else cond = this.prefixCondition('t.choseong', choseong(q), 'pfx');
    return this.bestFirst(this.visibleTerms(grades).andWhere(cond.where, cond.params), chars.length, PREFIX_CANDIDATES);
  }

  /**
   * Titles about as long as the query whose 초성 start with the query's (typo candidates of a Korean
   * full search: a wrong vowel keeps the consonants). Longer titles are reached through the grams.
   */
  private choseongQuery(q: string, grades: Grades): SelectQueryBuilder<MovieSearchTerm> {
    const cond = this.prefixCondition('t.choseong', choseong(q), 'cho');
    const qb = this.visibleTerms(grades).andWhere(cond.where, cond.params).andWhere('t.len <= :choMaxLen', { choMaxLen: charLength(q) + 2 });
    return this.bestFirst(qb, charLength(q), CHOSEONG_CANDIDATES);
  }

  /** The visible terms of the movies whose deletion neighbourhood meets the query's (text/typos.ts). */
  private variantQuery(q: string, grades: Grades): SelectQueryBuilder<MovieSearchTerm> | null {
    const keys = queryVariants(q);
    if (!keys.length) return null;
    return this.visibleTerms(grades).innerJoin(
      (sub) => sub.select('DISTINCT v.movie_id', 'vid').from(MovieSearchVariant, 'v').where('v.variant IN (:...vkeys)', { vkeys: keys }).orderBy('v.movie_id', 'ASC').limit(VARIANT_CANDIDATES),
      'vc',
      'vc.vid = t.movie_id',
    );
  }

  private bestFirst(qb: SelectQueryBuilder<MovieSearchTerm>, queryChars: number, limit: number): SelectQueryBuilder<MovieSearchTerm> {
    return qb
      .orderBy(`CASE WHEN t.len = ${Math.trunc(queryChars)} THEN 0 ELSE 1 END`, 'ASC')
      .addOrderBy('t.popularity', 'DESC')
      .addOrderBy('t.movie_id', 'ASC')
      .limit(limit);
  }

  /** The visible terms of the movies sharing the most grams with the query's literal parts (one query). */
  private async gramCandidates(q: string, partialLast: boolean, grades: Grades): Promise<TermRow[]> {
    const qb = this.gramQuery(q, partialLast, grades);
    return qb ? toRows(await qb.getRawMany()) : [];
  }

  private gramQuery(q: string, partialLast: boolean, grades: Grades): SelectQueryBuilder<MovieSearchTerm> | null {
    const chars = [...q];
    if (partialLast && isSyllable(chars[chars.length - 1]!)) chars.pop();
    // Literal runs between lone consonants.
    const runs = chars.join('').split(/[ㄱ-ㅎ]/u).filter(Boolean);
    const grams = [...new Set(runs.flatMap((r) => queryGrams(r)))];
    // One literal character: the grams that start with it (every character of a title starts one).
    const one = runs.sort((a, b) => b.length - a.length)[0];
    if (!grams.length && !one) return null;
    return this.visibleTerms(grades).innerJoin(
      (sub) => {
        sub.select('g.movie_id', 'gid').addSelect('COUNT(*)', 'shared').from(MovieSearchGram, 'g');
        if (grams.length) {
          // The rarest of the query's grams (grams no title has are absent from the frequencies and drop out).
          sub.where(`g.gram IN (SELECT r.gram FROM (SELECT d.gram AS gram FROM movie_search_gram_df d WHERE d.gram IN (:...grams) AND d.df > 0 ORDER BY d.df ASC, d.gram ASC LIMIT ${GRAMS_LOOKED_UP}) r)`, { grams });
        } else {
          const cond = this.prefixCondition('g.gram', one!, 'gpfx');
          sub.where(cond.where, cond.params);
        }
        sub.groupBy('g.movie_id');
        // Autocomplete shows only titles that contain the query's literal runs (no similar titles):
        // such a title has every gram looked up, so the movies sharing fewer are not fetched (they
        // would come after it in this order and be dropped by the ranking anyway).
        if (partialLast && grams.length) sub.having(`COUNT(*) = (SELECT COUNT(*) FROM (SELECT d2.gram FROM movie_search_gram_df d2 WHERE d2.gram IN (:...grams) AND d2.df > 0 ORDER BY d2.df ASC, d2.gram ASC LIMIT ${GRAMS_LOOKED_UP}) r2)`);
        return sub.orderBy('shared', 'DESC').addOrderBy('g.movie_id', 'ASC').limit(GRAM_CANDIDATES);
      },
      'gc',
      'gc.gid = t.movie_id',
    );
  }

  // ---- ranking ----------------------------------------------------------------------------------------------

  /** Best tier (or, for the movies without one, similarity) per movie over its terms. */
  private rank(q: string, rows: readonly TermRow[], opts: { partialLast: boolean; similar: boolean }): Ranked[] {
    const tierOf = tierMatcher(q, { partialLast: opts.partialLast });
    const best = new Map<number, Ranked>();
    const better = (prev: Ranked | undefined, next: Ranked, field: TermField) =>
      !prev || next.rank < prev.rank || (next.rank === prev.rank && (next.similarity > prev.similarity || (next.similarity === prev.similarity && (next.closeness > prev.closeness || (next.closeness === prev.closeness && field === 'name')))));
    const unmatched: TermRow[] = [];
    for (const row of rows) {
      const tier = tierOf(row.norm);
      if (!tier) {
        unmatched.push(row);
        continue;
      }
      const next = { movieId: row.movieId, rank: TIER_RANK[tier], similarity: 1, closeness: 1, field: row.field, popularity: row.popularity };
      // Better tier, then the Korean name over the English one.
      if (better(best.get(row.movieId), next, row.field)) best.set(row.movieId, next);
    }
    if (opts.similar && unmatched.length) {
      const scorer = similarityScorer(q);
      // The candidate lists overlap (a title found by its prefix and by its grams): score a title once.
      const seen = new Map<string, number>();
      for (const row of unmatched) {
        // A movie matched literally by one of its titles is not "similar".
        if ((best.get(row.movieId)?.rank ?? 3) < 3) continue;
        let sim = seen.get(row.norm);
        if (sim === undefined) seen.set(row.norm, (sim = Math.max(typoSimilarity(q, row.norm), scorer.similarityAtLeast(row.norm, SIMILAR_THRESHOLD))));
        if (sim < SIMILAR_THRESHOLD) continue;
        const next = { movieId: row.movieId, rank: 3, similarity: sim, closeness: scorer.closeness(row.norm), field: row.field, popularity: row.popularity };
        if (better(best.get(row.movieId), next, row.field)) best.set(row.movieId, next);
      }
    }
    return [...best.values()];
  }
}

/** Tier, then (similar only) similarity and whole-title closeness, then rating count, then id. */
function byRelevance(a: Ranked, b: Ranked): number {
  return a.rank - b.rank || (a.rank === 3 ? b.similarity - a.similarity || b.closeness - a.closeness : 0) || b.popularity - a.popularity || a.movieId - b.movieId;
}

function toRows(raw: Array<{ movieId: unknown; field: TermField; norm: string; popularity: unknown }>): TermRow[] {
  return raw.map((r) => ({ movieId: num(r.movieId), field: r.field, norm: r.norm, popularity: num(r.popularity) }));
}
