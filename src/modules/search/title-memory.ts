// The search index's terms held in memory, per process: what a query looks its candidates up in
// (movie-search.service.ts). movie_search_terms stays the durable copy, written in the catalog's
// transactions; this is rebuilt from it and refreshed by movie id after every write (see the
// service for when). Everything a lookup needs is derived here from each term's normalised title
// by the search's pure text functions (text/): its padded grams, its deletion neighbourhood and
// their frequencies — so a query reads no table and makes no round trip.
//
// Structures (T terms, M movies): the terms sorted by normalised title and by 초성 (prefix ranges
// by binary search), gram → movies, a title's first characters → movies, variant → movies.
// A movie's terms are replaced as a whole (replace), in O(log T + T) for the sorted arrays.
import type { WatchGrade } from '../catalog/movie.entity.js';
import { isGradeVisible } from '../age/age.policy.js';
import type { TermField } from './movie-search.entities.js';
import { indexGrams, titleVariants } from './text/index.js';

/** One searchable title of a movie, as movie_search_terms holds it. */
export interface MemoryTerm {
  movieId: number;
  field: TermField;
  title: string;
  norm: string;
  choseong: string;
  len: number;
  popularity: number;
  watchGrade: WatchGrade | null;
}

type Grades = readonly WatchGrade[] | null | undefined;

const byNorm = (a: MemoryTerm, b: MemoryTerm) => (a.norm < b.norm ? -1 : a.norm > b.norm ? 1 : a.movieId - b.movieId || (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
const byChoseong = (a: MemoryTerm, b: MemoryTerm) => (a.choseong < b.choseong ? -1 : a.choseong > b.choseong ? 1 : byNorm(a, b));

/** First index of `sorted` whose key is ≥ `key`. */
function lowerBound(sorted: readonly MemoryTerm[], key: string, keyOf: (t: MemoryTerm) => string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keyOf(sorted[mid]!) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Position of exactly `t` in `sorted` (by `cmp`), or where it would go. */
function position(sorted: readonly MemoryTerm[], t: MemoryTerm, cmp: (a: MemoryTerm, b: MemoryTerm) => number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(sorted[mid]!, t) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Posting lists: key → ascending movie ids. Most keys of a catalog belong to one movie (a title's
 * deletion variants, its rarer grams), so such a key holds the bare id and only a shared key an array.
 */
type Postings = Map<string, number | number[]>;

function addTo(map: Postings, key: string, id: number): void {
  const have = map.get(key);
  if (have === undefined) return void map.set(key, id);
  if (typeof have === 'number') {
    if (have !== id) map.set(key, have < id ? [have, id] : [id, have]);
    return;
  }
  // Ids mostly arrive ascending (new movies): append without a search.
  if (have[have.length - 1]! < id) return void have.push(id);
  const at = lowerBoundNumber(have, id);
  if (have[at] !== id) have.splice(at, 0, id);
}

function removeFrom(map: Postings, key: string, id: number): void {
  const have = map.get(key);
  if (have === undefined) return;
  if (typeof have === 'number') {
    if (have === id) map.delete(key);
    return;
  }
  const at = lowerBoundNumber(have, id);
  if (have[at] === id) have.splice(at, 1);
  if (have.length === 1) map.set(key, have[0]!);
  else if (!have.length) map.delete(key);
}

function postingsOf(map: Postings, key: string): readonly number[] {
  const have = map.get(key);
  return have === undefined ? [] : typeof have === 'number' ? [have] : have;
}

function lowerBoundNumber(list: readonly number[], id: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The ids of a count map grouped by count: `out[c]` are the ids counted c times, ascending
 * (a bucket per count, sorted when it is not already: no pairs to allocate).
 */
export function idsByCount(counts: ReadonlyMap<number, number>): number[][] {
  const buckets: number[][] = [[]];
  for (const [id, n] of counts) {
    while (buckets.length <= n) buckets.push([]);
    buckets[n]!.push(id);
  }
  // Ids mostly went in ascending (a load adds them in order): a sorted bucket is only checked.
  for (const b of buckets) if (!isAscending(b)) b.sort((x, y) => x - y);
  return buckets;
}

function isAscending(list: readonly number[]): boolean {
  for (let i = 1; i < list.length; i++) if (list[i - 1]! > list[i]!) return false;
  return true;
}

/** The buckets' ids from the highest count down to `lowest`, one list (Array.prototype.flat is slow on hot paths). */
export function highestFirst(buckets: ReadonlyArray<readonly number[]>, lowest: number): number[] {
  const out: number[] = [];
  for (let c = buckets.length - 1; c >= lowest; c--) for (const id of buckets[c]!) out.push(id);
  return out;
}

/**
 * The ids of ascending lists grouped by how many of the lists hold them: `out[c]` are the ids in
 * exactly c lists, ascending (a k-way merge: linear in the lists' lengths).
 */
export function idsByListCount(lists: ReadonlyArray<readonly number[]>): number[][] {
  const out: number[][] = Array.from({ length: lists.length + 1 }, () => []);
  const at = lists.map(() => 0);
  for (;;) {
    let min = Infinity;
    for (let k = 0; k < lists.length; k++) if (at[k]! < lists[k]!.length && lists[k]![at[k]!]! < min) min = lists[k]![at[k]!]!;
    if (min === Infinity) return out;
    let count = 0;
    for (let k = 0; k < lists.length; k++)
      if (at[k]! < lists[k]!.length && lists[k]![at[k]!] === min) {
        count++;
        at[k]!++;
      }
    out[count]!.push(min);
  }
}

export class TitleMemory {
  private readonly terms = new Map<number, MemoryTerm[]>();
  private sortedByNorm: MemoryTerm[] = [];
  private sortedByChoseong: MemoryTerm[] = [];
  /** gram → the movies having it, ascending (its frequency is the list's length). */
  private readonly grams: Postings = new Map();
  /** A character → for each movie, how many of its grams start with that character. */
  private readonly gramStarts = new Map<string, Map<number, number>>();
  /** A deletion-neighbourhood variant → the movies having it, ascending. */
  private readonly variants: Postings = new Map();

  get movies(): number {
    return this.terms.size;
  }

  /**
   * Replaces everything by `all` (sorted once). A long load yields to the event loop every
   * `movies` movies (100k movies take seconds; the requests meanwhile are answered from the
   * memory being replaced, since the caller swaps in a new instance once this resolves).
   */
  async load(all: readonly MemoryTerm[], opts: { yieldEvery?: number } = {}): Promise<void> {
    const every = opts.yieldEvery ?? 2000;
    this.terms.clear();
    this.grams.clear();
    this.gramStarts.clear();
    this.variants.clear();
    const byMovie = new Map<number, MemoryTerm[]>();
    for (const t of all) {
      const list = byMovie.get(t.movieId);
      if (list) list.push(t);
      else byMovie.set(t.movieId, [t]);
    }
    // Ascending ids: every posting list is built by appending.
    let n = 0;
    for (const [id, list] of [...byMovie].sort((a, b) => a[0] - b[0])) {
      this.terms.set(id, list);
      this.addDerived(id, list);
      if (++n % every === 0) await new Promise((r) => setImmediate(r));
    }
    this.sortedByNorm = [...all].sort(byNorm);
    await new Promise((r) => setImmediate(r));
    this.sortedByChoseong = [...all].sort(byChoseong);
  }

  /** The movie's terms are now `next` (empty: the movie is gone or has no searchable title). */
  replace(movieId: number, next: readonly MemoryTerm[]): void {
    const old = this.terms.get(movieId);
    if (old) {
      this.removeDerived(movieId, old);
      for (const t of old) {
        this.sortedByNorm.splice(position(this.sortedByNorm, t, byNorm), 1);
        this.sortedByChoseong.splice(position(this.sortedByChoseong, t, byChoseong), 1);
      }
      this.terms.delete(movieId);
    }
    if (!next.length) return;
    const list = [...next];
    this.terms.set(movieId, list);
    this.addDerived(movieId, list);
    for (const t of list) {
      this.sortedByNorm.splice(position(this.sortedByNorm, t, byNorm), 0, t);
      this.sortedByChoseong.splice(position(this.sortedByChoseong, t, byChoseong), 0, t);
    }
  }

  private derived(list: readonly MemoryTerm[]): { grams: Set<string>; variants: Set<string> } {
    const grams = new Set<string>();
    const variants = new Set<string>();
    for (const t of list) {
      for (const g of indexGrams(t.norm)) grams.add(g);
      for (const v of titleVariants(t.norm)) variants.add(v);
    }
    return { grams, variants };
  }

  private addDerived(id: number, list: readonly MemoryTerm[]): void {
    const { grams, variants } = this.derived(list);
    for (const g of grams) {
      addTo(this.grams, g, id);
      const first = String.fromCodePoint(g.codePointAt(0)!);
      let counts = this.gramStarts.get(first);
      if (!counts) this.gramStarts.set(first, (counts = new Map()));
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    for (const v of variants) addTo(this.variants, v, id);
  }

  private removeDerived(id: number, list: readonly MemoryTerm[]): void {
    const { grams, variants } = this.derived(list);
    for (const g of grams) {
      removeFrom(this.grams, g, id);
      const first = String.fromCodePoint(g.codePointAt(0)!);
      const counts = this.gramStarts.get(first);
      if (counts) {
        const n = (counts.get(id) ?? 0) - 1;
        if (n > 0) counts.set(id, n);
        else counts.delete(id);
        if (!counts.size) this.gramStarts.delete(first);
      }
    }
    for (const v of variants) removeFrom(this.variants, v, id);
  }

  // ---- lookups (each answers visible terms only) ----------------------------------------------------

  /** The movie's terms (as held). */
  termsOf(movieId: number): readonly MemoryTerm[] {
    return this.terms.get(movieId) ?? [];
  }

  /** Visible terms whose normalised title is in [lo, hi) (hi undefined: starts with lo). */
  normRange(lo: string, hi: string | undefined, grades: Grades): MemoryTerm[] {
    return this.range(this.sortedByNorm, (t) => t.norm, lo, hi, grades);
  }

  /** Visible terms whose 초성 string starts with `prefix`. */
  choseongPrefix(prefix: string, grades: Grades): MemoryTerm[] {
    return this.range(this.sortedByChoseong, (t) => t.choseong, prefix, undefined, grades);
  }

  private range(sorted: readonly MemoryTerm[], keyOf: (t: MemoryTerm) => string, lo: string, hi: string | undefined, grades: Grades): MemoryTerm[] {
    const out: MemoryTerm[] = [];
    for (let i = lowerBound(sorted, lo, keyOf); i < sorted.length; i++) {
      const t = sorted[i]!;
      const key = keyOf(t);
      if (hi === undefined ? !key.startsWith(lo) : key >= hi) break;
      if (isGradeVisible(t.watchGrade, grades)) out.push(t);
    }
    return out;
  }

  /** How many movies have the gram (0 when none). */
  frequency(gram: string): number {
    const have = this.grams.get(gram);
    return have === undefined ? 0 : typeof have === 'number' ? 1 : have.length;
  }

  /** The movies having the gram, ascending. */
  moviesWithGram(gram: string): readonly number[] {
    return postingsOf(this.grams, gram);
  }

  /** For each movie with a gram starting with `ch`: how many such grams it has. */
  gramsStartingWith(ch: string): ReadonlyMap<number, number> {
    return this.gramStarts.get(ch) ?? new Map();
  }

  /** The movies whose deletion neighbourhood holds `variant`, ascending. */
  moviesWithVariant(variant: string): readonly number[] {
    return postingsOf(this.variants, variant);
  }
}
