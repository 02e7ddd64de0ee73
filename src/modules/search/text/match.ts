// Literal matching of a normalised query against a normalised title, with 초성 and typing-in-progress.
//
// - A syllable or any other character matches itself.
// - An initial consonant (ㄱ…ㅎ, ㄲ ㄸ ㅃ ㅆ ㅉ included) matches itself or any syllable starting
//   with it, so "ㅅㄱㅎㄲ" and mixed input such as "신ㄱ" or "ㅅ과" find "신과함께".
// - With `partialLast` (autocomplete), the last syllable may still be being typed: "하" matches
//   "함" (final not typed yet), "고" matches "과" (compound vowel half typed), "달" matches "닭",
//   and "괗" matches "과" + a syllable starting with ㅎ (the IME holds the next initial as a final).
import { CLUSTER_PARTS, composeSyllable, decomposeSyllable, initialOf, isInitialConsonant, MEDIALS, VOWEL_PARTS } from './hangul.js';

export type MatchTier = 'exact' | 'prefix' | 'contains';

/** Rank of a tier: lower is more relevant (similar results come after every tier). */
export const TIER_RANK: Readonly<Record<MatchTier, number>> = { exact: 0, prefix: 1, contains: 2 };

export interface MatchOptions {
  partialLast?: boolean;
}

/** How `query` occurs in `title` (both normalised), or null. */
export function matchTier(query: string, title: string, opts: MatchOptions = {}): MatchTier | null {
  return tierMatcher(query, opts)(title);
}

/** matchTier with the query prepared once (scoring many titles against one query). */
export function tierMatcher(query: string, opts: MatchOptions = {}): (title: string) => MatchTier | null {
  const q = [...query];
  const partialLast = opts.partialLast ?? false;
  // Plain text (no lone consonant, nothing unfinished): string search is enough.
  if (isPlainQuery(query, opts)) {
    return (title) => (!query || !title ? null : title === query ? 'exact' : title.startsWith(query) ? 'prefix' : title.includes(query) ? 'contains' : null);
  }
  // A title starting with the query as typed matches at its start, character for character (the
  // first thing slowTier tries): no need to split it into characters.
  return (title) => (!query || !title ? null : title.startsWith(query) ? (title.length === query.length ? 'exact' : 'prefix') : slowTier(q, title, partialLast));
}

/** Whether the query is plain text (no lone consonant, nothing unfinished): it matches a title as a string does (plainTierRank). */
export function isPlainQuery(query: string, opts: MatchOptions = {}): boolean {
  return !(opts.partialLast ?? false) && !hasConsonants(query);
}

/**
 * matchTier of a plain query (isPlainQuery) as a TIER_RANK number (-1: no match), on UTF-16 code
 * units: the query's `q` against the title's `n` units at `at` in `text` (the search's term
 * records hold the titles so: text/title-memory.ts). The same as the string search tierMatcher
 * does for plain text (exact: equal; prefix: starts with; contains: includes).
 */
export function plainTierRank(q: Uint16Array, text: Uint16Array, at: number, n: number): number {
  const m = q.length;
  if (!m || !n || m > n) return -1;
  const first = q[0]!;
  for (let start = 0; start + m <= n; start++) {
    if (text[at + start] !== first) continue;
    let k = 1;
    while (k < m && text[at + start + k] === q[k]) k++;
    if (k === m) return start > 0 ? TIER_RANK.contains : m === n ? TIER_RANK.exact : TIER_RANK.prefix;
  }
  return -1;
}

function slowTier(q: string[], title: string, partialLast: boolean): MatchTier | null {
  if (!q.length || !title) return null;
  if (q.join('') === title && !partialLast) return 'exact';
  const t = [...title];
  if (q.length > t.length + 1) return null;
  for (let start = 0; start < t.length; start++) {
    const m = matchAt(q, t, start, partialLast);
    if (!m) continue;
    if (start > 0) return 'contains';
    return m.end === t.length && !m.partial ? 'exact' : 'prefix';
  }
  return null;
}

function matchAt(q: string[], t: string[], start: number, partialLast: boolean): { end: number; partial: boolean } | null {
  let j = start;
  let partial = false;
  for (let k = 0; k < q.length; k++) {
    const c = q[k]!;
    const x = t[j];
    if (x === undefined) return null;
    if (x === c || (isInitialConsonant(c) && initialOf(x) === c)) {
      j++;
      continue;
    }
    if (partialLast && k === q.length - 1) {
      const n = partialSyllable(c, t, j);
      if (n > 0) {
        j += n;
        partial = true;
        continue;
      }
    }
    return null;
  }
  return { end: j, partial };
}

/** Title characters (1 or 2) matched by a syllable still being typed, or 0. */
export function partialSyllable(typed: string, t: readonly string[], j: number): number {
  const s = decomposeSyllable(typed);
  const x = decomposeSyllable(t[j] ?? '');
  if (!s || !x || x.initial !== s.initial) return 0;
  if (!s.final) return x.medial === s.medial || VOWEL_PARTS[x.medial]?.[0] === s.medial ? 1 : 0;
  if (x.medial !== s.medial) return 0;
  // 달 → 닭: the final typed so far is the first half of the title's cluster.
  if (x.final && CLUSTER_PARTS[x.final]?.[0] === s.final) return 1;
  const next = t[j + 1];
  if (next === undefined) return 0;
  const parts = CLUSTER_PARTS[s.final];
  // 괗 → 과 + 함: the "final" is the next syllable's initial.
  if (!parts) return !x.final && initialOf(next) === s.final ? 2 : 0;
  // 앉 → 안 + 자: the cluster's second half is the next syllable's initial.
  return x.final === parts[0] && initialOf(next) === parts[1] ? 2 : 0;
}

/**
 * The part of a query that every literal match starts with, character for character: the
 * characters before the first lone consonant, without a last syllable still being typed. The
 * index looks it up as a prefix of the normalised title.
 */
export function literalPrefix(query: string, opts: MatchOptions = {}): string {
  const q = [...query];
  let end = q.findIndex((c) => isInitialConsonant(c));
  if (end < 0) end = q.length;
  if (opts.partialLast && end === q.length && end > 0 && decomposeSyllable(q[end - 1]!)) end--;
  return q.slice(0, end).join('');
}

/** Whether a query has lone consonants (초성 search). */
export function hasConsonants(query: string): boolean {
  for (const c of query) if (isInitialConsonant(c)) return true;
  return false;
}

/**
 * The syllables an unfinished syllable can still become, as a half-open code point range
 * [lo, hi): same initial and vowel with any final, and the compound vowels that start with the
 * vowel (고 → 고…곻 and 과, 괘, 괴 with any final: ㅗ ㅘ ㅙ ㅚ are consecutive). A superset of what
 * partialSyllable accepts (it is used to fetch candidates, which are then matched exactly).
 */
export function partialSyllableRange(typed: string): [lo: string, hi: string] {
  const s = decomposeSyllable(typed);
  if (!s) throw new RangeError(`not a syllable: ${typed}`);
  let lastMedial = s.medial;
  if (!s.final) for (const [compound, parts] of Object.entries(VOWEL_PARTS)) if (parts[0] === s.medial && MEDIALS.indexOf(compound) > MEDIALS.indexOf(lastMedial)) lastMedial = compound;
  const lo = composeSyllable({ initial: s.initial, medial: s.medial, final: '' });
  const last = composeSyllable({ initial: s.initial, medial: lastMedial, final: 'ㅎ' });
  return [lo, String.fromCodePoint(last.codePointAt(0)! + 1)];
}
