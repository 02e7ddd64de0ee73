// The search index's terms held in memory, per process: what a query looks its candidates up in
// (movie-search.service.ts). movie_search_terms stays the durable copy, written in the catalog's
// transactions; this is rebuilt from it and refreshed by movie id after every write (see the
// service for when). Everything a lookup needs is derived here from each term's normalised title
// by the search's pure text functions (text/): its padded grams, its deletion neighbourhood and
// their frequencies — so a query reads no table and makes no round trip.
//
// Structures (T terms, M movies): the terms sorted by normalised title, by 초성 and by length then
// 초성 (prefix ranges by binary search), gram → movies, a title's first characters → movies,
// variant → movies. Each term is held (HeldTerm) with what the ranking reads of it for hundreds of
// candidates per query, worked out once: its grade's bit, its keystroke set and its numbered
// keystroke bigrams (text/similarity.ts). Each movie's rating count and grade bits are also held
// by id in typed arrays (MovieColumns): the candidate lookups read them for every id of a
// posting list, to take the most rated visible movies. A movie's terms are replaced as a whole
// (replace), in O(log T + T) for the sorted arrays.
import { crc32 } from 'node:zlib';
import { WATCH_GRADES, type WatchGrade } from '../catalog/movie.entity.js';
import { isGradeVisible } from '../age/age.policy.js';
import { TERM_FIELDS, type TermField } from './movie-search.entities.js';
import { BigramNumbers, indexGrams, keystrokeSet, keystrokesMeet, titleVariants, type KeystrokeSet } from './text/index.js';

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

/**
 * A term as held: the row and what the lookups and the ranking derive from it once, when it is
 * loaded: its grade's bit in a visibility mask (visibleMask) and its keystroke letters
 * (text/similarity.ts: a title sharing none with the query can neither match nor be similar),
 * kept in the object itself (the ranking reads them for hundreds of terms per query).
 */
export interface HeldTerm extends MemoryTerm, KeystrokeSet {
  readonly gradeBit: number;
  /** Its keystroke bigrams numbered by the memory's BigramNumbers (null: numbering full, scored from the text). */
  readonly bigrams: string | null;
}

/** The grades a mask has a bit for: the grades, no grade, and any other value a row may hold. */
const GRADE_SLOTS: ReadonlyArray<WatchGrade | null> = [...WATCH_GRADES, null];
const OTHER_GRADE_BIT = 1 << GRADE_SLOTS.length;

function gradeBitOf(grade: WatchGrade | null): number {
  const at = GRADE_SLOTS.indexOf(grade);
  return at < 0 ? OTHER_GRADE_BIT : 1 << at;
}

/**
 * The viewer's visible grades as a bit mask over the terms' gradeBit: the age policy's
 * isGradeVisible asked once per grade, not once per term.
 */
export function visibleMask(grades: Grades): number {
  let mask = 0;
  for (const g of GRADE_SLOTS) if (isGradeVisible(g, grades)) mask |= gradeBitOf(g);
  // A grade the policy does not know is visible only when nothing is hidden.
  if (grades == null) mask |= OTHER_GRADE_BIT;
  return mask;
}

function hold(t: MemoryTerm, numbers: BigramNumbers): HeldTerm {
  // One literal (not a spread): every held term has the same shape, with its fields in the object.
  const keys = keystrokeSet(t.norm);
  return {
    movieId: t.movieId,
    field: t.field,
    title: t.title,
    norm: t.norm,
    choseong: t.choseong,
    len: t.len,
    popularity: t.popularity,
    watchGrade: t.watchGrade,
    gradeBit: gradeBitOf(t.watchGrade),
    keysLo: keys.keysLo,
    keysHi: keys.keysHi,
    keysOther: keys.keysOther,
    bigrams: numbers.encode(t.norm),
  };
}

/**
 * A term's CRC-32, of its row's columns as the table's checksum query joins them (`|` between
 * them, no grade as the empty text): MovieSearchService.heldMatchesTable compares the sum over the
 * terms held with the table's.
 */
export function termChecksum(t: MemoryTerm): number {
  return crc32(`${t.movieId}|${t.field}|${t.title}|${t.norm}|${t.popularity}|${t.watchGrade ?? ''}`);
}

const byNorm = (a: MemoryTerm, b: MemoryTerm) => (a.norm < b.norm ? -1 : a.norm > b.norm ? 1 : a.movieId - b.movieId || (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
const byChoseong = (a: MemoryTerm, b: MemoryTerm) => (a.choseong < b.choseong ? -1 : a.choseong > b.choseong ? 1 : byNorm(a, b));
/** By length, then by 초성 (the short titles with a 초성 prefix: one range per length). */
const byLengthChoseong = (a: MemoryTerm, b: MemoryTerm) => a.len - b.len || byChoseong(a, b);

/**
 * The first index in [from, to) at which `before(i)` is false, `before` being true on a prefix of
 * the range and false after it (every lookup of a sorted array here: a binary search).
 */
function firstNotBefore(from: number, to: number, before: (i: number) => boolean): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index of `sorted` whose key is ≥ `key` (at or after `from`, before `to`). */
const lowerBound = (sorted: readonly MemoryTerm[], key: string, keyOf: (t: MemoryTerm) => string, from = 0, to = sorted.length) => firstNotBefore(from, to, (i) => keyOf(sorted[i]!) < key);
/** First index of `sorted` (by length) whose length is ≥ `len`. */
const lengthBound = (sorted: readonly MemoryTerm[], len: number) => firstNotBefore(0, sorted.length, (i) => sorted[i]!.len < len);
/** Position of exactly `t` in `sorted` (by `cmp`), or where it would go. */
const position = (sorted: readonly MemoryTerm[], t: MemoryTerm, cmp: (a: MemoryTerm, b: MemoryTerm) => number) => firstNotBefore(0, sorted.length, (i) => cmp(sorted[i]!, t) < 0);
/** Position of `id` in an ascending list, or where it would go. */
const lowerBoundNumber = (list: readonly number[], id: number) => firstNotBefore(0, list.length, (i) => list[i]! < id);

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

/** The buckets from the highest count down to `lowest` (the lists themselves: their ids in that order are the candidates' order). */
export function highestFirst(buckets: ReadonlyArray<readonly number[]>, lowest: number): Array<readonly number[]> {
  const out: Array<readonly number[]> = [];
  for (let c = buckets.length - 1; c >= lowest; c--) if (buckets[c]!.length) out.push(buckets[c]!);
  return out;
}

/**
 * The ids of ascending lists grouped by how many of the lists hold them: `out[c]` are the ids in
 * exactly c lists, ascending (a k-way merge: linear in the lists' lengths).
 */
export function idsByListCount(lists: ReadonlyArray<readonly number[]>): Array<readonly number[]> {
  // One list: every id is in exactly one (the list itself, not a copy).
  if (lists.length === 1) return [[], lists[0]!];
  const out: number[][] = Array.from({ length: lists.length + 1 }, () => []);
  // The lists' heads (Infinity: the list is done) and positions.
  const k = lists.length;
  const head = new Float64Array(k);
  const pos = new Uint32Array(k);
  for (let i = 0; i < k; i++) head[i] = lists[i]!.length ? lists[i]![0]! : Infinity;
  for (;;) {
    let min = Infinity;
    for (let i = 0; i < k; i++) if (head[i]! < min) min = head[i]!;
    if (min === Infinity) return out;
    let count = 0;
    for (let i = 0; i < k; i++)
      if (head[i] === min) {
        count++;
        const list = lists[i]!;
        const p = ++pos[i]!;
        head[i] = p < list.length ? list[p]! : Infinity;
      }
    out[count]!.push(min);
  }
}

/**
 * The `limit` first of `items` by `cmp` (a total order), in no particular order: a selection
 * (quickselect, O(n) on average), not a sort. `items` is reordered in place; the answer is a
 * prefix of it. Ranking sorts the few it keeps; only which ones make the cut matters here.
 */
export function firstBy<T>(items: T[], limit: number, cmp: (a: T, b: T) => number): T[] {
  if (items.length <= limit) return items;
  if (limit <= 0) return [];
  selectFirst(items, 0, items.length, limit, cmp);
  return items.slice(0, limit);
}

/**
 * Reorders `items[from, to)` in place so that its first `k` (by `cmp`, a total order) are
 * `items[from, from + k)`, in no particular order (quickselect).
 */
export function selectFirst<T>(items: T[], from: number, to: number, k: number, cmp: (a: T, b: T) => number): void {
  if (k <= 0 || to - from <= k) return;
  let lo = from;
  let hi = to - 1;
  // Narrow [lo, hi] until position `from + k - 1` holds the k-th item and everything before it is not after it.
  const at = from + k - 1;
  while (lo < hi) {
    // Median of three as the pivot (sorted runs, the usual input, stay linear).
    const mid = (lo + hi) >>> 1;
    if (cmp(items[mid]!, items[lo]!) < 0) swap(items, mid, lo);
    if (cmp(items[hi]!, items[lo]!) < 0) swap(items, hi, lo);
    if (cmp(items[hi]!, items[mid]!) < 0) swap(items, hi, mid);
    const pivot = items[mid]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (cmp(items[i]!, pivot) < 0) i++;
      while (cmp(items[j]!, pivot) > 0) j--;
      if (i <= j) swap(items, i++, j--);
    }
    if (at <= j) hi = j;
    else if (at >= i) lo = i;
    else break;
  }
}

type Column = Float64Array | Uint8Array | Uint16Array | Uint32Array;

/** `from` doubled until it holds `n` entries (`from` > 0): the next capacity of a growing column. */
function doubledTo(from: number, n: number): number {
  let size = from;
  while (size < n) size *= 2;
  return size;
}

/** `old`'s values at the start of a new column of its type, `size` long. */
function grown<A extends Column>(old: A, size: number): A {
  const next = new (old.constructor as new (length: number) => A)(size);
  next.set(old as never);
  return next;
}

/** Movie ids below this are held in the typed arrays of MovieColumns (2M ids: 20 MiB at most); larger ones in a Map. */
const DENSE_IDS = 1 << 21;

/**
 * What the candidate lookups read of each movie for every id of a posting list (hundreds to
 * thousands per query): its rating count and its terms' grade bits, dense by id in typed arrays.
 * Looking them up in the terms' Map cost a cache miss or more per id.
 */
class MovieColumns {
  private popularity = new Float64Array(1024);
  private gradeBits = new Uint16Array(1024);
  private readonly sparse = new Map<number, { popularity: number; gradeBit: number }>();

  /** The movie's terms are `terms` (not empty). */
  set(id: number, terms: readonly HeldTerm[]): void {
    let popularity = 0;
    let gradeBit = 0;
    for (const t of terms) {
      popularity = Math.max(popularity, t.popularity);
      gradeBit |= t.gradeBit;
    }
    if (id >= DENSE_IDS) return void this.sparse.set(id, { popularity, gradeBit });
    if (id >= this.gradeBits.length) {
      const size = doubledTo(this.gradeBits.length, id + 1);
      this.popularity = grown(this.popularity, size);
      this.gradeBits = grown(this.gradeBits, size);
    }
    this.popularity[id] = popularity;
    this.gradeBits[id] = gradeBit;
  }

  delete(id: number): void {
    if (id >= DENSE_IDS) this.sparse.delete(id);
    else if (id < this.gradeBits.length) this.popularity[id] = this.gradeBits[id] = 0;
  }

  popularityOf(id: number): number {
    return id < DENSE_IDS ? (this.popularity[id] ?? 0) : (this.sparse.get(id)?.popularity ?? 0);
  }

  /** The bits of the grades of the movie's terms (0: no term held). */
  gradeBitOf(id: number): number {
    return id < DENSE_IDS ? (this.gradeBits[id] ?? 0) : (this.sparse.get(id)?.gradeBit ?? 0);
  }
}

/** The value that would be at index `k` of `values` sorted in descending order (quickselect; `values` is reordered). */
export function nthHighest(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! > pivot) i++;
      while (values[j]! < pivot) j--;
      if (i <= j) {
        const x = values[i]!;
        values[i++] = values[j]!;
        values[j--] = x;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return values[k]!;
}

function swap<T>(items: T[], a: number, b: number): void {
  const x = items[a]!;
  items[a] = items[b]!;
  items[b] = x;
}

/** Fields in the order bestFirst breaks ties by (their names' order). */
const FIELD_ORDER: readonly TermField[] = [...TERM_FIELDS].sort();

/**
 * Held terms sorted by a key (a title, its 초성), with what a prefix lookup reads of every position
 * in typed arrays beside them: rating count, movie id, field, grade bit and length. A range's
 * visible terms are taken best first (TermWalk) reading only these; the term objects (scattered
 * in memory) are read only for the few taken. Kept in step with `terms` on every insert and removal.
 */
class SortedTerms {
  terms: HeldTerm[] = [];
  popularity = new Float64Array(0);
  ids = new Float64Array(0);
  fields = new Uint8Array(0);
  gradeBits = new Uint16Array(0);
  lens = new Uint32Array(0);

  constructor(readonly cmp: (a: MemoryTerm, b: MemoryTerm) => number) {}

  load(held: readonly HeldTerm[]): void {
    this.terms = [...held].sort(this.cmp);
    this.popularity = new Float64Array(0);
    this.ids = new Float64Array(0);
    this.fields = new Uint8Array(0);
    this.gradeBits = new Uint16Array(0);
    this.lens = new Uint32Array(0);
    this.reserve(this.terms.length);
    this.terms.forEach((t, i) => this.write(i, t));
  }

  insert(t: HeldTerm): void {
    const at = position(this.terms, t, this.cmp);
    this.terms.splice(at, 0, t);
    const n = this.terms.length;
    this.reserve(n);
    for (const col of this.columns()) col.copyWithin(at + 1, at, n - 1);
    this.write(at, t);
  }

  remove(t: MemoryTerm): void {
    const at = position(this.terms, t, this.cmp);
    this.terms.splice(at, 1);
    for (const col of this.columns()) col.copyWithin(at, at + 1, this.terms.length + 1);
  }

  private columns() {
    return [this.popularity, this.ids, this.fields, this.gradeBits, this.lens];
  }

  private write(i: number, t: HeldTerm): void {
    this.popularity[i] = t.popularity;
    this.ids[i] = t.movieId;
    this.fields[i] = FIELD_ORDER.indexOf(t.field);
    this.gradeBits[i] = t.gradeBit;
    this.lens[i] = t.len;
  }

  /** Room for `n` positions (capacity doubles; the columns are copied when it grows). */
  private reserve(n: number): void {
    if (n <= this.popularity.length) return;
    const size = doubledTo(Math.max(1024, this.popularity.length), n);
    this.popularity = grown(this.popularity, size);
    this.ids = grown(this.ids, size);
    this.fields = grown(this.fields, size);
    this.gradeBits = grown(this.gradeBits, size);
    this.lens = grown(this.lens, size);
  }

  /** [from, to) of the terms whose key is in [lo, hi) (hi undefined: starts with lo), within [within, end) — two binary searches. */
  bounds(keyOf: (t: MemoryTerm) => string, lo: string, hi: string | undefined, within = 0, end = this.terms.length): [number, number] {
    const terms = this.terms;
    const from = lowerBound(terms, lo, keyOf, within, end);
    // The keys starting with lo follow one another from `from` on.
    const to = hi === undefined ? firstNotBefore(from, end, (i) => keyOf(terms[i]!).startsWith(lo)) : firstNotBefore(from, end, (i) => keyOf(terms[i]!) < hi);
    return [from, to];
  }
}

/**
 * The visible terms of ranges of a SortedTerms in bestFirst's order (movie-search.service.ts):
 * those as long as the query first, then the most rated, then by movie id and field. Taken a few
 * at a time: the next ones are selected and sorted only when asked for, reading the typed columns.
 */
export class TermWalk {
  /** Positions: the exact-length ones (sorted) then the rest, sorted up to `sortedUpTo`. */
  private readonly order: number[];
  private readonly exactCount: number;
  private sortedUpTo: number;
  private at = 0;

  constructor(
    private readonly sorted: SortedTerms,
    ranges: ReadonlyArray<readonly [number, number]>,
    mask: number,
    exactLength: number,
  ) {
    const exact: number[] = [];
    const rest: number[] = [];
    const { gradeBits, lens } = sorted;
    for (const [from, to] of ranges)
      for (let i = from; i < to; i++) if (gradeBits[i]! & mask) (lens[i] === exactLength ? exact : rest).push(i);
    exact.sort(this.byRating);
    this.exactCount = this.sortedUpTo = exact.length;
    this.order = exact.length ? exact.concat(rest) : rest;
  }

  /** Most rated first, then by movie id, then by field. */
  private readonly byRating = (x: number, y: number): number => {
    const { popularity, ids, fields } = this.sorted;
    return popularity[y]! - popularity[x]! || ids[x]! - ids[y]! || fields[x]! - fields[y]!;
  };

  /** How many terms the walk holds in all. */
  get size(): number {
    return this.order.length;
  }

  /** Whether the next term (if any) is one of the exact-length ones. */
  get inExact(): boolean {
    return this.at < this.exactCount;
  }

  /** The next term, or undefined at the end. */
  next(): HeldTerm | undefined {
    if (this.at === this.sortedUpTo && this.at < this.order.length) {
      // Select and sort the next batch (twice the last: most walks stop within the first).
      const batch = Math.max(32, this.at - this.exactCount);
      const end = Math.min(this.order.length, this.at + batch);
      selectFirst(this.order, this.at, this.order.length, batch, this.byRating);
      const sorted = this.order.slice(this.at, end).sort(this.byRating);
      for (let i = 0; i < sorted.length; i++) this.order[this.at + i] = sorted[i]!;
      this.sortedUpTo = end;
    }
    return this.at < this.order.length ? this.sorted.terms[this.order[this.at++]!] : undefined;
  }

  /** The next `n` terms (fewer at the end). */
  take(n: number): HeldTerm[] {
    const out: HeldTerm[] = [];
    while (out.length < n) {
      const t = this.next();
      if (!t) break;
      out.push(t);
    }
    return out;
  }
}

export class TitleMemory {
  private readonly terms = new Map<number, HeldTerm[]>();
  private readonly sortedByNorm = new SortedTerms(byNorm);
  private readonly sortedByChoseong = new SortedTerms(byChoseong);
  private readonly sortedByLength = new SortedTerms(byLengthChoseong);
  /** gram → the movies having it, ascending (its frequency is the list's length). */
  private readonly grams: Postings = new Map();
  /** A character → for each movie, how many of its grams start with that character. */
  private readonly gramStarts = new Map<string, Map<number, number>>();
  /** A deletion-neighbourhood variant → the movies having it, ascending. */
  private readonly variants: Postings = new Map();
  /** The numbering of the held terms' keystroke bigrams (a query's similarity scorer reads it). */
  readonly numbers = new BigramNumbers();
  /** Each movie's rating count and grade bits, by id (the candidate lookups' order and visibility). */
  private movieColumns = new MovieColumns();
  /** How many terms are held and the sum of their termChecksum (kept on every load and replace). */
  readonly checksum = { terms: 0, sum: 0 };

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
    this.movieColumns = new MovieColumns();
    this.grams.clear();
    this.gramStarts.clear();
    this.variants.clear();
    const held = all.map((t) => hold(t, this.numbers));
    this.checksum.terms = held.length;
    this.checksum.sum = 0;
    for (const t of held) this.checksum.sum += termChecksum(t);
    const byMovie = new Map<number, HeldTerm[]>();
    for (const t of held) {
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
    this.sortedByNorm.load(held);
    await new Promise((r) => setImmediate(r));
    this.sortedByChoseong.load(held);
    await new Promise((r) => setImmediate(r));
    this.sortedByLength.load(held);
  }

  /** The movie's terms are now `next` (empty: the movie is gone or has no searchable title). */
  replace(movieId: number, next: readonly MemoryTerm[]): void {
    const old = this.terms.get(movieId);
    if (old) {
      this.checksum.terms -= old.length;
      for (const t of old) this.checksum.sum -= termChecksum(t);
      this.removeDerived(movieId, old);
      for (const t of old) for (const sorted of this.sorted()) sorted.remove(t);
      this.terms.delete(movieId);
    }
    if (!next.length) return;
    const list = next.map((t) => hold(t, this.numbers));
    this.checksum.terms += list.length;
    for (const t of list) this.checksum.sum += termChecksum(t);
    this.terms.set(movieId, list);
    this.addDerived(movieId, list);
    for (const t of list) for (const sorted of this.sorted()) sorted.insert(t);
  }

  private sorted(): SortedTerms[] {
    return [this.sortedByNorm, this.sortedByChoseong, this.sortedByLength];
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

  private addDerived(id: number, list: readonly HeldTerm[]): void {
    this.movieColumns.set(id, list);
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
    this.movieColumns.delete(id);
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
  termsOf(movieId: number): readonly HeldTerm[] {
    return this.terms.get(movieId) ?? [];
  }

  /**
   * The visible terms of the first `limit` movies that have any, the movies taken from `lists` in
   * order (one list after the other). With `meeting` (a query's keystrokes), a movie still counts
   * by its visible terms, but only those sharing a keystroke with the query are returned: the
   * others can neither match nor be similar.
   */
  visibleTermsOfFirst(lists: ReadonlyArray<readonly number[]>, limit: number, grades: Grades, meeting?: KeystrokeSet): HeldTerm[] {
    const mask = visibleMask(grades);
    const out: HeldTerm[] = [];
    let movies = 0;
    for (const ids of lists)
      for (const id of ids) {
        // A movie none of whose terms is visible is skipped without reading its terms.
        if (!(this.movieColumns.gradeBitOf(id) & mask)) continue;
        const terms = this.terms.get(id);
        if (!terms) continue;
        let any = false;
        for (const t of terms)
          if (t.gradeBit & mask) {
            if (!meeting || keystrokesMeet(meeting, t)) out.push(t);
            any = true;
          }
        if (any && ++movies === limit) return out;
      }
    return out;
  }

  /**
   * visibleTermsOfFirst over the movies of `lists` taken one list after the other and, within a
   * list, the most rated first (ties by id): the `limit` most rated visible movies of the first
   * lists. Only the movies that make the cut are ordered (a selection, then a sort of those).
   */
  visibleTermsOfMostRated(lists: ReadonlyArray<readonly number[]>, limit: number, grades: Grades, meeting?: KeystrokeSet): HeldTerm[] {
    const mask = visibleMask(grades);
    const chosen: number[] = [];
    for (const ids of lists) {
      const visible: number[] = [];
      for (const id of ids) if (this.movieColumns.gradeBitOf(id) & mask) visible.push(id);
      this.mostRated(visible, limit - chosen.length, chosen);
      if (chosen.length >= limit) break;
    }
    // Read in id order (the order the terms were loaded in, so about the order they lie in memory): the ranking does not depend on it.
    return this.visibleTermsOfFirst([chosen.sort((a, b) => a - b)], limit, grades, meeting);
  }

  /**
   * Appends to `out` the `n` most rated of `ids` (ascending ids; ties: the lowest ids), in no
   * particular order: the n-th highest rating count is selected in a typed array, then the ids
   * above it and, in id order, as many of those at it as fit.
   */
  private mostRated(ids: readonly number[], n: number, out: number[]): void {
    if (n <= 0) return;
    if (ids.length <= n) {
      for (const id of ids) out.push(id);
      return;
    }
    const counts = new Float64Array(ids.length);
    for (let i = 0; i < ids.length; i++) counts[i] = this.movieColumns.popularityOf(ids[i]!);
    const values = counts.slice();
    const at = nthHighest(values, n - 1);
    let above = 0;
    for (let i = 0; i < ids.length; i++) if (counts[i]! > at) above++;
    let ties = n - above;
    for (let i = 0; i < ids.length; i++) {
      const c = counts[i]!;
      if (c > at) out.push(ids[i]!);
      else if (c === at && ties > 0) {
        out.push(ids[i]!);
        ties--;
      }
    }
  }

  /**
   * Visible terms whose normalised title is in [lo, hi) (hi undefined: starts with lo), best first
   * (TermWalk: those `exactLength` characters long, then the most rated). Take them before the
   * next await: a replace meanwhile moves the positions the walk holds.
   */
  normRange(lo: string, hi: string | undefined, grades: Grades, exactLength = -1): TermWalk {
    return new TermWalk(this.sortedByNorm, [this.sortedByNorm.bounds((t) => t.norm, lo, hi)], visibleMask(grades), exactLength);
  }

  /** Visible terms whose 초성 string starts with `prefix`, best first (as normRange). */
  choseongPrefix(prefix: string, grades: Grades, exactLength = -1): TermWalk {
    return new TermWalk(this.sortedByChoseong, [this.sortedByChoseong.bounds((t) => t.choseong, prefix, undefined)], visibleMask(grades), exactLength);
  }

  /**
   * Visible terms whose 초성 string starts with `prefix` and that are at most `maxLen` characters
   * long, best first (as normRange): a range per length from the prefix's (a title's 초성 has one
   * letter per character).
   */
  shortChoseongPrefix(prefix: string, maxLen: number, grades: Grades, exactLength = -1): TermWalk {
    const sorted = this.sortedByLength;
    const ranges: Array<[number, number]> = [];
    for (let len = [...prefix].length; len <= maxLen; len++) {
      const from = lengthBound(sorted.terms, len);
      const to = lengthBound(sorted.terms, len + 1);
      if (from < to) ranges.push(sorted.bounds((t) => t.choseong, prefix, undefined, from, to));
    }
    return new TermWalk(sorted, ranges, visibleMask(grades), exactLength);
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
