// Typo tolerance: how much a title looks like a query, by bigrams of their keystrokes (jamo), so
// that "신가함께" is close to "신과함께" (ㄱㅏ vs ㄱㅗㅏ: one vowel apart) and "hary poter" to
// "harry potter". The query is compared with the best-matching stretch of the title (like
// pg_trgm's word_similarity), so a short query is not drowned by a long title, and a short query
// does not match a long title just because its few letters occur scattered over it.
import { CLUSTER_PARTS, FINALS, INITIALS, MEDIALS, toJamo, VOWEL_PARTS } from './hangul.js';
import { bigrams } from './ngrams.js';

/** A title at or above this similarity is offered in similar_result. */
export const SIMILAR_THRESHOLD = 0.6;

/** Sørensen–Dice coefficient of two gram sets: 2|A∩B| / (|A| + |B|) (0 when both are empty). */
export function dice(a: readonly string[], b: readonly string[]): number {
  const sa = new Set(a);
  const sb = new Set(b);
  if (!sa.size && !sb.size) return 0;
  let n = 0;
  for (const g of sa) if (sb.has(g)) n++;
  return (2 * n) / (sa.size + sb.size);
}

/** All bigrams of a character array, repeats kept, in order. */
function bigramList(chars: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

/**
 * The best Dice coefficient (bigram multisets) between `query` and any stretch of `title` of the
 * query's length ± 1 characters; the whole title when it is shorter. Sliding windows, O(|title|).
 */
export function bestWindowDice(query: readonly string[], title: readonly string[]): number {
  return windowDiceAgainst(bigramList(query))(title);
}

/** bestWindowDice with the query's side prepared once (scoring many titles against one query). */
function windowDiceAgainst(q: readonly string[]): (title: readonly string[]) => number {
  const want = new Map<string, number>();
  for (const g of q) want.set(g, (want.get(g) ?? 0) + 1);
  const have = new Map<string, number>();
  return (title) => {
    if (!q.length) return 0;
    const t = bigramList(title);
    if (!t.length) return 0;
    let best = 0;
    let lastSize = -1;
    for (const s of [q.length - 1, q.length, q.length + 1]) {
      const size = Math.max(1, Math.min(s, t.length));
      if (size === lastSize) continue;
      lastSize = size;
      have.clear();
      let shared = 0;
      const add = (g: string) => {
        const w = want.get(g);
        if (w === undefined) return;
        const h = have.get(g) ?? 0;
        if (h < w) shared++;
        have.set(g, h + 1);
      };
      const remove = (g: string) => {
        const w = want.get(g);
        if (w === undefined) return;
        const h = have.get(g)!;
        if (h <= w) shared--;
        have.set(g, h - 1);
      };
      for (let i = 0; i < size; i++) add(t[i]!);
      best = Math.max(best, (2 * shared) / (q.length + size));
      for (let i = size; i < t.length && best < 1; i++) {
        add(t[i]!);
        remove(t[i - size]!);
        best = Math.max(best, (2 * shared) / (q.length + size));
      }
    }
    return best;
  };
}

// ---- the scorer used per query (integers, no per-title strings) ------------------------------------------
//
// The functions above are the definition; the scorer below computes the same numbers for many
// titles against one query without building strings: a title's keystrokes are written as code
// points into a reused buffer, a bigram is one number (first × 0x110000 + second), the query's
// distinct bigrams are numbered once, and the sliding windows count them in a typed array.

const S_BASE = 0xac00;
const S_LAST = 0xd7a3;
const cps = (s: string): number[] => [...s].map((c) => c.codePointAt(0)!);
/** Keystrokes of a syllable's initial, medial and final (by index), as code points. */
const INITIAL_CP = cps(INITIALS);
const MEDIAL_CPS = [...MEDIALS].map((m) => cps(VOWEL_PARTS[m] ?? m));
const FINAL_CPS = [[], ...[...FINALS].map((f) => cps(CLUSTER_PARTS[f] ?? f))];
/** Compound vowels and final clusters typed alone (compatibility jamo) → their parts. */
const JAMO_PARTS = new Map<number, number[]>(Object.entries({ ...VOWEL_PARTS, ...CLUSTER_PARTS }).map(([k, v]) => [k.codePointAt(0)!, cps(v)]));
const PAD_START_CP = 0x5e; // '^', as bigrams(…, true) pads
const PAD_END_CP = 0x24; // '$'
const pair = (a: number, b: number) => a * 0x110000 + b;

/** The code points of toJamo(s) written into `out` from index `at`; returns the new length. */
function jamoInto(s: string, out: number[], at = 0): number {
  let n = at;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const lo = s.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        c = (c - 0xd800) * 0x400 + (lo - 0xdc00) + 0x10000;
        i++;
      }
    }
    if (c >= S_BASE && c <= S_LAST) {
      const k = c - S_BASE;
      out[n++] = INITIAL_CP[(k / 588) | 0]!;
      for (const x of MEDIAL_CPS[((k % 588) / 28) | 0]!) out[n++] = x;
      for (const x of FINAL_CPS[k % 28]!) out[n++] = x;
      continue;
    }
    const parts = JAMO_PARTS.get(c);
    if (parts) for (const x of parts) out[n++] = x;
    else out[n++] = c;
  }
  return n;
}

/**
 * The keystroke letters of a string (the code points of toJamo) as a set in three 32-bit words:
 * the Hangul compatibility letters exactly (ㄱ U+3131 … ㅣ U+3163, two words), every other code
 * point hashed into the third. Two strings whose sets meet nowhere share no keystroke, so neither
 * `similarity` (it counts shared keystroke bigrams) nor `typoSimilarity` (one edit or a near
 * syllable leaves a letter in common) can score them above 0: the ranking skips such a title
 * without scoring it. A hash collision only means a title is scored.
 */
export interface KeystrokeSet {
  readonly keysLo: number;
  readonly keysHi: number;
  readonly keysOther: number;
}

const JAMO_FIRST = 0x3131;

export function keystrokeSet(s: string): KeystrokeSet {
  const cps: number[] = [];
  const n = jamoInto(s, cps);
  let lo = 0;
  let hi = 0;
  let other = 0;
  for (let i = 0; i < n; i++) {
    const k = cps[i]! - JAMO_FIRST;
    if (k >= 0 && k < 32) lo |= 1 << k;
    else if (k >= 32 && k < 64) hi |= 1 << (k - 32);
    else other |= 1 << (Math.imul(cps[i]!, 0x9e3779b1) >>> 27);
  }
  return { keysLo: lo, keysHi: hi, keysOther: other };
}

/** Whether two keystroke sets may share a letter (false: they certainly share none). */
export function keystrokesMeet(a: KeystrokeSet, b: KeystrokeSet): boolean {
  return keystrokeWordsMeet(a, b.keysLo, b.keysHi, b.keysOther);
}

/** keystrokesMeet of a set and another held as its three words (a term record's, title-memory.ts). */
export function keystrokeWordsMeet(a: KeystrokeSet, lo: number, hi: number, other: number): boolean {
  return ((a.keysLo & lo) | (a.keysHi & hi) | (a.keysOther & other)) !== 0;
}

/** Most bigram numbers a BigramNumbers hands out (one UTF-16 code unit each). */
const MAX_BIGRAM_NUMBERS = 0xffff;

/**
 * Keystroke bigrams numbered across many titles (the search terms held in memory), so that a
 * title's bigrams are worked out once, when it is loaded, and a query's scorer only compares
 * numbers: `encode` gives a title's bigrams (repeats kept, in order) as a string of one UTF-16
 * code unit per bigram (compact: a few dozen bytes a title). Numbers are never reused or
 * removed; past 65,535 distinct bigrams a new title is not encoded (null: it is scored from its
 * text, the same numbers, only slower).
 */
export class BigramNumbers {
  private readonly numbers = new Map<number, number>();
  private readonly buf: number[] = [];

  get size(): number {
    return this.numbers.size;
  }

  /** A scorer's table of the numbers (similarityScorer), lent to one scorer at a time: every entry -1 while kept here. */
  private spareTable: Int16Array | null = null;

  /** A table of at least `size` entries, every one -1 (the spare one, or a new one). */
  borrowTable(): Int16Array {
    const table = this.spareTable !== null && this.spareTable.length >= this.numbers.size ? this.spareTable : new Int16Array(Math.max(1024, 2 * this.numbers.size)).fill(-1);
    this.spareTable = null;
    return table;
  }

  /** Takes a borrowed table back (every entry -1 again). */
  returnTable(table: Int16Array): void {
    this.spareTable = table;
  }

  /** The number of a bigram (`pair` of two code points), or -1 when no encoded title has it. */
  numberOf(key: number): number {
    return this.numbers.get(key) ?? -1;
  }

  encode(title: string): string | null {
    const n = jamoInto(title, this.buf);
    const codes: number[] = [];
    for (let i = 0; i + 1 < n; i++) {
      const key = pair(this.buf[i]!, this.buf[i + 1]!);
      let code = this.numbers.get(key);
      if (code === undefined) {
        if (this.numbers.size >= MAX_BIGRAM_NUMBERS) return null;
        this.numbers.set(key, (code = this.numbers.size));
      }
      codes.push(code);
    }
    let out = '';
    // In slices: String.fromCharCode takes its codes as arguments.
    for (let i = 0; i < codes.length; i += 4096) out += String.fromCharCode(...codes.slice(i, i + 4096));
    return out;
  }
}

/**
 * The distinct padded keystroke bigrams (`pair`s, with '^' before the first and '$' after the last)
 * of the `n` code points in `cps`, ascending: a prefix of `into` (n + 1 long at least), sorted there.
 */
function distinctPadded(cps: readonly number[], n: number, into: Float64Array): Float64Array {
  if (!n) return into.subarray(0, 0);
  let prev = PAD_START_CP;
  for (let i = 0; i < n; i++) into[i] = pair(prev, (prev = cps[i]!));
  into[n] = pair(prev, PAD_END_CP);
  const all = into.subarray(0, n + 1).sort();
  let distinct = 1;
  for (let i = 1; i < all.length; i++) if (all[i] !== all[distinct - 1]) all[distinct++] = all[i]!;
  return all.subarray(0, distinct);
}

export interface SimilarityScorer {
  similarity(title: string): number;
  /** similarity(title) when it is at least `min`; otherwise some number below `min` (cheaper: bounded first). */
  similarityAtLeast(title: string, min: number): number;
  /**
   * similarityAtLeast of a title given as its BigramNumbers encoding: its `count` code units at
   * `at` in `codes` (the scorer was made with those numbers). The scorer reads the numbering as
   * it was when it was made: use it before more titles are encoded (the ranking scores synchronously).
   */
  similarityAtLeastNumbered(codes: Uint16Array, at: number, count: number, min: number): number;
  /** Gives the numbering's table back (made with numbers): the numbered scores are not asked for after (they are 0 then). */
  release(): void;
  closeness(title: string): number;
}

/**
 * A normalised query prepared for scoring many titles: `similarity` and `closeness` as the
 * functions above (the same numbers), without redoing the query's side or building strings for
 * every title.
 */
export function similarityScorer(query: string, numbers?: BigramNumbers): SimilarityScorer {
  const qj: number[] = [];
  const qn = jamoInto(query, qj);
  // The query's bigrams (repeats kept) numbered by distinct value, with their multiplicities.
  const index = new Map<number, number>();
  const wantList: number[] = [];
  for (let i = 0; i + 1 < qn; i++) {
    const key = pair(qj[i]!, qj[i + 1]!);
    const id = index.get(key);
    if (id === undefined) {
      index.set(key, wantList.length);
      wantList.push(1);
    } else wantList[id]!++;
  }
  const want = Int32Array.from(wantList);
  const have = new Int32Array(want.length);
  const m = Math.max(0, qn - 1); // the query's bigram count
  const buf: number[] = [];
  let ids = new Int32Array(64);
  // Padded distinct bigrams of the query, ascending (closeness: merged with a title's, sorted the same way).
  let padded = new Float64Array(qn + 1);
  const qPadded = distinctPadded(qj, qn, padded).slice();
  // A numbered bigram → the number of the query's bigram it is (-1: not one of the query's):
  // the numbering's table, borrowed (a new one per query cost an allocation outside the heap).
  let queryIdOf = numbers ? numbers.borrowTable() : new Int16Array(0);
  const set: number[] = [];
  if (numbers)
    for (const [key, id] of index) {
      const n = numbers.numberOf(key);
      if (n >= 0) {
        queryIdOf[n] = id;
        set.push(n);
      }
    }

  const score = (title: string, min: number): number => {
    if (!query || !title || !m) return 0;
    const tn = jamoInto(title, buf);
    const t = tn - 1; // the title's bigram count
    if (t <= 0) return 0;
    if (ids.length < t) ids = new Int32Array(2 * t);
    // Each title bigram as the number of the query's bigram it equals (-1: none).
    for (let i = 0; i < t; i++) ids[i] = index.get(pair(buf[i]!, buf[i + 1]!)) ?? -1;
    return scoreIds(t, min);
  };

  const scoreNumbered = (codes: Uint16Array, at: number, t: number, min: number): number => {
    if (!query || !m || t <= 0) return 0;
    if (ids.length < t) ids = new Int32Array(2 * t);
    for (let i = 0; i < t; i++) {
      const code = codes[at + i]!;
      ids[i] = code < queryIdOf.length ? queryIdOf[code]! : -1;
    }
    return scoreIds(t, min);
  };

  /** The score of a title whose `t` bigrams are in `ids` as query bigram numbers. */
  const scoreIds = (t: number, min: number): number => {
    // The shared count over the whole title bounds every window's.
    let total = 0;
    have.fill(0);
    for (let i = 0; i < t; i++) {
      const id = ids[i]!;
      if (id >= 0 && have[id]!++ < want[id]!) total++;
    }
    if (min > 0) {
      let bound = 0;
      for (let s = m - 1; s <= m + 1; s++) {
        const size = Math.max(1, Math.min(s, t));
        bound = Math.max(bound, (2 * Math.min(total, size)) / (m + size));
      }
      if (bound < min) return bound;
    }
    let best = 0;
    let lastSize = -1;
    for (let s = m - 1; s <= m + 1; s++) {
      const size = Math.max(1, Math.min(s, t));
      if (size === lastSize) continue;
      lastSize = size;
      have.fill(0);
      let shared = 0;
      for (let i = 0; i < size; i++) {
        const id = ids[i]!;
        if (id >= 0 && have[id]!++ < want[id]!) shared++;
      }
      best = Math.max(best, (2 * shared) / (m + size));
      for (let i = size; i < t && best < 1; i++) {
        const a = ids[i]!;
        if (a >= 0 && have[a]!++ < want[a]!) shared++;
        const r = ids[i - size]!;
        if (r >= 0 && --have[r]! < want[r]!) shared--;
        best = Math.max(best, (2 * shared) / (m + size));
      }
    }
    return best;
  };

  return {
    similarity: (title) => score(title, 0),
    similarityAtLeast: score,
    similarityAtLeastNumbered: scoreNumbered,
    release: () => {
      if (!numbers || !queryIdOf.length) return;
      for (const n of set) queryIdOf[n] = -1;
      numbers.returnTable(queryIdOf);
      queryIdOf = new Int16Array(0);
    },
    closeness: (title) => {
      if (!query || !title) return 0;
      const tn = jamoInto(title, buf);
      if (padded.length < tn + 1) padded = new Float64Array(2 * (tn + 1));
      const tPadded = distinctPadded(buf, tn, padded);
      // Both ascending: the shared ones by a merge (numbers, not a set of them per title).
      let n = 0;
      for (let i = 0, j = 0; i < qPadded.length && j < tPadded.length; ) {
        const a = qPadded[i]!;
        const b = tPadded[j]!;
        if (a === b) {
          n++;
          i++;
          j++;
        } else if (a < b) i++;
        else j++;
      }
      return (2 * n) / (qPadded.length + tPadded.length);
    },
  };
}

/** Similarity of a normalised query and a normalised title in [0, 1] (1 = the query occurs in the title). */
export function similarity(query: string, title: string): number {
  if (!query || !title) return 0;
  return bestWindowDice([...toJamo(query)], [...toJamo(title)]);
}

/**
 * Dice coefficient of the whole query and the whole title (keystroke bigrams, padded): breaks ties
 * between equally similar titles in favour of the one closest in length ("신가함께" is nearer to
 * "신과 함께" than to "그리고 신과함께").
 */
export function wholeSimilarity(query: string, title: string): number {
  if (!query || !title) return 0;
  return dice(bigrams(toJamo(query), true), bigrams(toJamo(title), true));
}
