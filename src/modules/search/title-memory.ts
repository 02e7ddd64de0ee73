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
// keystroke bigrams (text/similarity.ts), written with its norm's code units into a packed record
// (TermRecords): the lookups answer records' slots, and the ranking reads those, not the objects.
// Each movie's rating count, grade bits and term slots are also held by id in typed arrays
// (MovieColumns): the candidate lookups read them for every id of a posting list, to take the
// most rated visible movies. A movie's terms are replaced as a whole (replace), in O(log T + T)
// for the sorted arrays.
import { crc32 } from 'node:zlib';
import { WATCH_GRADES, type WatchGrade } from '../catalog/movie.entity.js';
import { isGradeVisible } from '../age/age.policy.js';
import { TERM_FIELDS, type TermField } from './movie-search.entities.js';
import { BigramNumbers, charLength, indexGrams, keystrokeSet, keystrokeWordsMeet, titleVariants, type KeystrokeSet } from './text/index.js';

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

/** A viewer's visible watch grades (the age gate; null or undefined: every grade). */
export type Grades = readonly WatchGrade[] | null | undefined;

/**
 * A term as held: the row and what the lookups and the ranking derive from it once, when it is
 * loaded: its grade's bit in a visibility mask (visibleMask) and its keystroke letters
 * (text/similarity.ts: a title sharing none with the query can neither match nor be similar),
 * and its slot in the memory's TermRecords, where the ranking reads all of that (and the norm's
 * code units and numbered bigrams) for hundreds of candidates per query.
 */
export interface HeldTerm extends MemoryTerm, KeystrokeSet {
  readonly gradeBit: number;
  readonly slot: number;
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

function hold(t: MemoryTerm, slot: number): HeldTerm {
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
    slot,
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

type Column = Float64Array | Uint8Array | Uint16Array | Uint32Array | Int32Array;

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

/** Fields in the order bestFirst breaks ties by (their names' order); a term's field is held as its index here. */
export const FIELD_ORDER: readonly TermField[] = [...TERM_FIELDS].sort();
export const FIELDS = FIELD_ORDER.length;

/** Ints of a movie in MovieColumns: its terms' grade bits, its rating count, then its terms' slots + 1 by field (0: none). */
const M_GRADES = 0;
const M_POPULARITY = 1;
const M_SLOTS = 2;
const MOVIE_INTS = M_SLOTS + FIELDS;

/**
 * What the candidate lookups read of each movie for every id of a posting list (hundreds to
 * thousands per query): its terms' grade bits, its rating count (the table's INT) and its terms'
 * slots in the TermRecords, dense by id in one typed array, side by side: a movie is one memory
 * read. Looking them up in the terms' Map cost a cache miss or more per id, and so did each
 * column of its own (an uncached search runs with cold caches under load: every line counts).
 */
class MovieColumns {
  private cols = new Int32Array(1024 * MOVIE_INTS);
  private readonly sparse = new Map<number, Int32Array>();

  /** The movie's terms are `terms` (not empty, one per field at most). */
  set(id: number, terms: readonly HeldTerm[]): void {
    const movie = new Int32Array(MOVIE_INTS);
    for (const t of terms) {
      movie[M_GRADES]! |= t.gradeBit;
      movie[M_POPULARITY] = Math.max(movie[M_POPULARITY]!, t.popularity);
      movie[M_SLOTS + FIELD_ORDER.indexOf(t.field)] = t.slot + 1;
    }
    if (id >= DENSE_IDS) return void this.sparse.set(id, movie);
    if ((id + 1) * MOVIE_INTS > this.cols.length) this.cols = grown(this.cols, doubledTo(this.cols.length, (id + 1) * MOVIE_INTS));
    this.cols.set(movie, id * MOVIE_INTS);
  }

  delete(id: number): void {
    if (id >= DENSE_IDS) this.sparse.delete(id);
    else this.cols.fill(0, id * MOVIE_INTS, (id + 1) * MOVIE_INTS);
  }

  private read(id: number, at: number): number {
    return id < DENSE_IDS ? (this.cols[id * MOVIE_INTS + at] ?? 0) : (this.sparse.get(id)?.[at] ?? 0);
  }

  popularityOf(id: number): number {
    return this.read(id, M_POPULARITY);
  }

  /** The bits of the grades of the movie's terms (0: no term held). */
  gradeBitOf(id: number): number {
    return this.read(id, M_GRADES);
  }

  /** The slot of the movie's term of the field at `field` in FIELD_ORDER (-1: none). */
  slotOf(id: number, field: number): number {
    return this.read(id, M_SLOTS + field) - 1;
  }
}

/** Ints of a term's record in TermRecords.rec, and what each holds. */
const RECORD = 8;
const R_MOVIE = 0;
/** The grade's bit (low 16 bits) and the field's index in FIELD_ORDER (above). */
const R_GRADE_FIELD = 1;
const R_KEYS_LO = 2;
const R_KEYS_HI = 3;
const R_KEYS_OTHER = 4;
const R_POPULARITY = 5;
/** Where the term's text starts in TermRecords.text. */
const R_TEXT = 6;
/** The round the slot was last marked in (TermRecords.mark: in the record, whose line a candidate has read already). */
const R_MARK = 7;
/** Code units of a term's text before its norm: the norm's length in units, its bigram count, its length in characters. */
const TEXT_HEAD = 3;
/** The bigram count written for a term whose bigrams the numbering could not take (scored from its norm). */
export const NOT_NUMBERED = 0xffff;

/**
 * The held terms' records, by slot: what the candidate lookups and the ranking read of each of
 * hundreds of candidates per query, packed in two typed arrays so that a candidate costs a couple
 * of memory reads rather than one per object and string (the term, its movie's list, its norm and
 * its bigrams, scattered over the heap; those reads were most of an uncached search's time).
 * - `rec`, RECORD ints a slot: movie id, grade bit and field, keystroke set, rating count (the
 *   table's INT), where its text is, the round it was last marked in;
 * - `text`, from there: the norm's length in UTF-16 code units, its bigram count (NOT_NUMBERED:
 *   none), its length in characters, the norm's code units, its numbered keystroke bigrams (BigramNumbers).
 * A movie's terms are written one after the other. A replaced term's slot is reused; its text is
 * reclaimed when the dead text outweighs the live (the live text is copied, in slot order). The
 * slots and offsets read for a query are used before the next await (the ranking is synchronous).
 */
export class TermRecords {
  rec = new Int32Array(RECORD * 1024);
  text = new Uint16Array(1 << 14);
  private textEnd = 0;
  private liveText = 0;
  private readonly held: Array<HeldTerm | undefined> = [];
  private readonly free: number[] = [];
  /** The round of marks under way (mark). */
  private round = 0;

  /** Holds the term in a slot: its record and text written. */
  add(t: MemoryTerm, numbers: BigramNumbers): HeldTerm {
    const slot = this.free.length ? this.free.pop()! : this.held.length;
    const h = hold(t, slot);
    const bigrams = numbers.encode(t.norm);
    const units = t.norm.length;
    const size = TEXT_HEAD + units + (bigrams?.length ?? 0);
    // Before the slot is held: a compaction moves the held slots' text, and this one has none yet.
    const at = this.alloc(size);
    const text = this.text;
    text[at] = units;
    text[at + 1] = bigrams === null ? NOT_NUMBERED : bigrams.length;
    text[at + 2] = charLength(t.norm);
    for (let i = 0; i < units; i++) text[at + TEXT_HEAD + i] = t.norm.charCodeAt(i);
    if (bigrams !== null) for (let i = 0; i < bigrams.length; i++) text[at + TEXT_HEAD + units + i] = bigrams.charCodeAt(i);
    if ((slot + 1) * RECORD > this.rec.length) this.rec = grown(this.rec, doubledTo(this.rec.length, (slot + 1) * RECORD));
    this.held[slot] = h;
    const r = slot * RECORD;
    const rec = this.rec;
    rec[r + R_MOVIE] = t.movieId;
    rec[r + R_GRADE_FIELD] = h.gradeBit | (FIELD_ORDER.indexOf(t.field) << 16);
    rec[r + R_KEYS_LO] = h.keysLo;
    rec[r + R_KEYS_HI] = h.keysHi;
    rec[r + R_KEYS_OTHER] = h.keysOther;
    rec[r + R_POPULARITY] = t.popularity;
    rec[r + R_TEXT] = at;
    rec[r + R_MARK] = 0;
    return h;
  }

  /** Frees the term's slot (its text becomes dead). */
  delete(h: HeldTerm): void {
    if (this.held[h.slot] !== h) return;
    this.liveText -= this.textSize(h.slot);
    this.held[h.slot] = undefined;
    this.rec.fill(0, h.slot * RECORD, (h.slot + 1) * RECORD);
    this.free.push(h.slot);
  }

  private textSize(slot: number): number {
    const at = this.rec[slot * RECORD + R_TEXT]!;
    const count = this.text[at + 1]!;
    return TEXT_HEAD + this.text[at]! + (count === NOT_NUMBERED ? 0 : count);
  }

  /**
   * Room for `size` code units at the end of the text. When it is full, the text moves to an
   * array a quarter larger than it needs: without the dead text when that is a quarter of the live
   * or more (the live text copied in slot order), else as it is. So the array stays within about
   * 1.6× the live text, and each unit written costs a few units copied, on average.
   */
  private alloc(size: number): number {
    if (this.textEnd + size > this.text.length) {
      const dead = this.textEnd - this.liveText;
      if (4 * dead < this.liveText) {
        const next = new Uint16Array(Math.max(1 << 14, Math.ceil(1.25 * (this.textEnd + size))));
        next.set(this.text.subarray(0, this.textEnd));
        this.text = next;
      } else {
        const next = new Uint16Array(Math.max(1 << 14, Math.ceil(1.25 * (this.liveText + size))));
        // A movie's terms, written together, stay together.
        let end = 0;
        for (let slot = 0; slot < this.held.length; slot++) {
          if (!this.held[slot]) continue;
          const r = slot * RECORD + R_TEXT;
          const n = this.textSize(slot);
          next.set(this.text.subarray(this.rec[r]!, this.rec[r]! + n), end);
          this.rec[r] = end;
          end += n;
        }
        this.text = next;
        this.textEnd = end;
      }
    }
    const at = this.textEnd;
    this.textEnd += size;
    this.liveText += size;
    return at;
  }

  /** Starts a round of marks: a ranking counts each of its candidates once (synchronously: one round at a time). */
  newRound(): void {
    if (++this.round > 0x7ffffffe) {
      for (let r = R_MARK; r < this.rec.length; r += RECORD) this.rec[r] = 0;
      this.round = 1;
    }
  }

  /** Marks the slot in this round; false when it already was. */
  mark(slot: number): boolean {
    const r = slot * RECORD + R_MARK;
    if (this.rec[r] === this.round) return false;
    this.rec[r] = this.round;
    return true;
  }

  /** Drops the room the doubling left at the end of both arrays (after a load: most memories are loaded once and replaced a little). */
  trim(): void {
    if (this.textEnd < this.text.length) this.text = this.text.slice(0, Math.max(this.textEnd, 1 << 10));
    const recs = Math.max(this.held.length, 64) * RECORD;
    if (recs < this.rec.length) this.rec = this.rec.slice(0, recs);
  }

  /** Units of text held (live and dead), for the tests. */
  get textUnits(): number {
    return this.textEnd;
  }

  /** The term in the slot. */
  term(slot: number): HeldTerm {
    return this.held[slot]!;
  }

  movieOf(slot: number): number {
    return this.rec[slot * RECORD + R_MOVIE]!;
  }

  gradeBitOf(slot: number): number {
    return this.rec[slot * RECORD + R_GRADE_FIELD]! & 0xffff;
  }

  fieldOf(slot: number): TermField {
    return FIELD_ORDER[this.rec[slot * RECORD + R_GRADE_FIELD]! >>> 16]!;
  }

  popularityOf(slot: number): number {
    return this.rec[slot * RECORD + R_POPULARITY]!;
  }

  /** The norm's length in characters. */
  charsOf(slot: number): number {
    return this.text[this.rec[slot * RECORD + R_TEXT]! + 2]!;
  }

  /** Whether the term may share a keystroke with `keys` (keystrokesMeet). */
  meets(slot: number, keys: KeystrokeSet): boolean {
    const r = slot * RECORD;
    const rec = this.rec;
    return keystrokeWordsMeet(keys, rec[r + R_KEYS_LO]!, rec[r + R_KEYS_HI]!, rec[r + R_KEYS_OTHER]!);
  }

  /** Where the norm's code units start in `text`. */
  normAt(slot: number): number {
    return this.rec[slot * RECORD + R_TEXT]! + TEXT_HEAD;
  }

  /** The norm's length in code units. */
  normUnits(slot: number): number {
    return this.text[this.rec[slot * RECORD + R_TEXT]!]!;
  }

  /** The number of numbered bigrams (NOT_NUMBERED: none; score the norm). */
  bigramCount(slot: number): number {
    return this.text[this.rec[slot * RECORD + R_TEXT]! + 1]!;
  }

  /** Where the numbered bigrams start in `text`. */
  bigramsAt(slot: number): number {
    const at = this.rec[slot * RECORD + R_TEXT]!;
    return at + TEXT_HEAD + this.text[at]!;
  }
}

/** The value that would be at index `k` of `values` sorted in descending order (quickselect; `values` is reordered). */
export function nthHighest(values: Float64Array, k: number, length = values.length): number {
  let lo = 0;
  let hi = length - 1;
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
  slots = new Int32Array(0);

  constructor(readonly cmp: (a: MemoryTerm, b: MemoryTerm) => number) {}

  load(held: readonly HeldTerm[]): void {
    this.terms = [...held].sort(this.cmp);
    this.popularity = new Float64Array(0);
    this.ids = new Float64Array(0);
    this.fields = new Uint8Array(0);
    this.gradeBits = new Uint16Array(0);
    this.lens = new Uint32Array(0);
    this.slots = new Int32Array(0);
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
    return [this.popularity, this.ids, this.fields, this.gradeBits, this.lens, this.slots];
  }

  private write(i: number, t: HeldTerm): void {
    this.popularity[i] = t.popularity;
    this.ids[i] = t.movieId;
    this.fields[i] = FIELD_ORDER.indexOf(t.field);
    this.gradeBits[i] = t.gradeBit;
    this.lens[i] = t.len;
    this.slots[i] = t.slot;
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
    this.slots = grown(this.slots, size);
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

  /** The next term's slot (TermRecords), or -1 at the end. */
  next(): number {
    if (this.at === this.sortedUpTo && this.at < this.order.length) {
      // Select and sort the next batch (twice the last: most walks stop within the first).
      const batch = Math.max(32, this.at - this.exactCount);
      const end = Math.min(this.order.length, this.at + batch);
      selectFirst(this.order, this.at, this.order.length, batch, this.byRating);
      const sorted = this.order.slice(this.at, end).sort(this.byRating);
      for (let i = 0; i < sorted.length; i++) this.order[this.at + i] = sorted[i]!;
      this.sortedUpTo = end;
    }
    return this.at < this.order.length ? this.sorted.slots[this.order[this.at++]!]! : -1;
  }

  /** The next `n` terms' slots (fewer at the end). */
  take(n: number): number[] {
    const out: number[] = [];
    while (out.length < n) {
      const slot = this.next();
      if (slot < 0) break;
      out.push(slot);
    }
    return out;
  }
}

/** Movie ids, their rating counts and a copy to select in: the working columns of visibleTermsOfMostRated, grown as needed. */
class Scratch {
  ids = new Int32Array(1024);
  counts = new Float64Array(1024);
  values = new Float64Array(1024);

  /** Room for `n` movies. */
  reserve(n: number): this {
    if (n > this.ids.length) {
      const size = doubledTo(this.ids.length, n);
      this.ids = new Int32Array(size);
      this.counts = new Float64Array(size);
      this.values = new Float64Array(size);
    }
    return this;
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
  /** Every held term's record, by slot (what the candidate lookups and the ranking read; replaced by a load). */
  records = new TermRecords();
  /** Columns a lookup works in (synchronously: one lookup at a time), kept so that a query allocates none. */
  private readonly scratch = new Scratch();
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
    this.records = new TermRecords();
    this.movieColumns = new MovieColumns();
    this.grams.clear();
    this.gramStarts.clear();
    this.variants.clear();
    this.checksum.terms = all.length;
    this.checksum.sum = 0;
    for (const t of all) this.checksum.sum += termChecksum(t);
    const byMovie = new Map<number, MemoryTerm[]>();
    for (const t of all) {
      const list = byMovie.get(t.movieId);
      if (list) list.push(t);
      else byMovie.set(t.movieId, [t]);
    }
    // Ascending ids: every posting list is built by appending, and the records lie in id order.
    const held: HeldTerm[] = [];
    let n = 0;
    for (const [id, rows] of [...byMovie].sort((a, b) => a[0] - b[0])) {
      const list = rows.map((t) => this.records.add(t, this.numbers));
      for (const t of list) held.push(t);
      this.terms.set(id, list);
      this.addDerived(id, list);
      if (++n % every === 0) await new Promise((r) => setImmediate(r));
    }
    this.records.trim();
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
      for (const t of old) this.records.delete(t);
      this.terms.delete(movieId);
    }
    if (!next.length) return;
    const list = next.map((t) => this.records.add(t, this.numbers));
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

  /** The slot of the movie's term of the field at `field` in FIELD_ORDER (-1: none; read from the movie's column, not its terms). */
  slotOf(movieId: number, field: number): number {
    return this.movieColumns.slotOf(movieId, field);
  }

  /**
   * The slots of the visible terms of the first `limit` movies that have any, the movies taken from `lists` in
   * order (one list after the other). With `meeting` (a query's keystrokes), a movie still counts
   * by its visible terms, but only those sharing a keystroke with the query are returned: the
   * others can neither match nor be similar.
   */
  visibleTermsOfFirst(lists: ReadonlyArray<readonly number[]>, limit: number, grades: Grades, meeting?: KeystrokeSet): number[] {
    const mask = visibleMask(grades);
    const out: number[] = [];
    const records = this.records;
    let movies = 0;
    for (const ids of lists)
      for (const id of ids) {
        // A movie none of whose terms is visible is skipped without reading its terms.
        if (!(this.movieColumns.gradeBitOf(id) & mask)) continue;
        let any = false;
        for (let field = 0; field < FIELDS; field++) {
          const slot = this.movieColumns.slotOf(id, field);
          if (slot < 0 || !(records.gradeBitOf(slot) & mask)) continue;
          if (!meeting || records.meets(slot, meeting)) out.push(slot);
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
  visibleTermsOfMostRated(lists: ReadonlyArray<readonly number[]>, limit: number, grades: Grades, meeting?: KeystrokeSet): number[] {
    const mask = visibleMask(grades);
    const chosen: number[] = [];
    const columns = this.movieColumns;
    for (const ids of lists) {
      // The list's visible movies and their rating counts, in the scratch columns.
      const scratch = this.scratch.reserve(ids.length);
      let n = 0;
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        if (!(columns.gradeBitOf(id) & mask)) continue;
        scratch.ids[n] = id;
        scratch.counts[n++] = columns.popularityOf(id);
      }
      this.mostRated(n, limit - chosen.length, chosen);
      if (chosen.length >= limit) break;
    }
    // Read in id order (the order the terms were loaded in, so about the order they lie in memory): the ranking does not depend on it.
    return this.visibleTermsOfFirst([chosen.sort((a, b) => a - b)], limit, grades, meeting);
  }

  /**
   * Appends to `out` the `want` most rated of the first `n` movies of the scratch columns
   * (ascending ids; ties: the lowest ids), in no particular order: the want-th highest rating
   * count is selected in a copy, then the ids above it and, in id order, as many of those at it as fit.
   */
  private mostRated(n: number, want: number, out: number[]): void {
    if (want <= 0) return;
    const { ids, counts, values } = this.scratch;
    if (n <= want) {
      for (let i = 0; i < n; i++) out.push(ids[i]!);
      return;
    }
    values.set(counts.subarray(0, n));
    const at = nthHighest(values, want - 1, n);
    let above = 0;
    for (let i = 0; i < n; i++) if (counts[i]! > at) above++;
    let ties = want - above;
    for (let i = 0; i < n; i++) {
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
