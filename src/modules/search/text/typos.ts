// One wrong, missing or extra syllable (issue 16). A short Korean title loses most of its bigrams to
// a single typo ("침입자" typed "침큐자" shares none), so the grams cannot find it and the keystroke
// similarity cannot score it. Two tools:
//
// - Deletion neighbourhoods (SymSpell): a title is indexed under itself and every string made by
//   deleting one of its characters; a query looks up itself and its own one-character deletions.
//   The two sets meet exactly when the strings are one replaced, missing or extra character apart
//   (or two neighbours swapped): "침큐자" and "침입자" both give "침자". Only titles of up to
//   VARIANT_MAX_CHARS characters with a Hangul syllable are indexed this way — longer titles keep
//   enough bigrams for the grams and the similarity, and Latin titles have trigrams.
// - An edit distance on characters where a syllable replaced by a near one (one of its three jamo
//   differs: "가" for "과", "생" for "샘") costs half, which scores what the lookup found.

import { decomposeSyllable, isSyllable } from './hangul.js';
import { charLength } from './normalise.js';

/** Longest normalised title (characters) indexed by its deletion neighbourhood. */
export const VARIANT_MAX_CHARS = 12;

function hasSyllable(s: string): boolean {
  for (const c of s) if (isSyllable(c)) return true;
  return false;
}

/** The string and its one-character deletions, distinct (characters, not UTF-16 units). */
function neighbourhood(chars: readonly string[]): string[] {
  const out = new Set<string>([chars.join('')]);
  if (chars.length > 1) for (let i = 0; i < chars.length; i++) out.add(chars.slice(0, i).join('') + chars.slice(i + 1).join(''));
  return [...out];
}

/** What the index stores for a normalised title: itself and its one-character deletions (none when it is not a short Korean title). */
export function titleVariants(norm: string): string[] {
  const chars = [...norm];
  if (chars.length < 2 || chars.length > VARIANT_MAX_CHARS || !hasSyllable(norm)) return [];
  return neighbourhood(chars);
}

/** What a normalised query looks up: itself and its one-character deletions (none when no title could be one edit away). */
export function queryVariants(q: string): string[] {
  const chars = [...q];
  if (chars.length < 2 || chars.length > VARIANT_MAX_CHARS + 1 || !hasSyllable(q)) return [];
  return neighbourhood(chars).filter((v) => charLength(v) <= VARIANT_MAX_CHARS);
}

/** Cost of writing `a` where `b` is meant: 0 equal, ½ a syllable with one jamo (initial, vowel or final) off, else 1. */
export function substitutionCost(a: string, b: string): number {
  if (a === b) return 0;
  const x = decomposeSyllable(a);
  const y = decomposeSyllable(b);
  if (!x || !y) return 1;
  const off = Number(x.initial !== y.initial) + Number(x.medial !== y.medial) + Number(x.final !== y.final);
  return off === 1 ? 0.5 : 1;
}

/**
 * Edit distance of two strings by characters (insertion, deletion, swap of neighbours: 1;
 * replacement: substitutionCost), computed only up to `max` (returns a number above `max` past it).
 */
export function typoDistance(a: string, b: string, max = 1): number {
  const s = [...a];
  const t = [...b];
  if (Math.abs(s.length - t.length) > max) return max + 1;
  // Optimal string alignment, three rows.
  let prev2: number[] = [];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= t.length; j++) {
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + substitutionCost(s[i - 1]!, t[j - 1]!));
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      row.push(d);
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[t.length]!;
}

/**
 * Whether a query and a title of these lengths (characters) can be one typo apart for
 * typoSimilarity: more than one character longer or shorter is more than one edit (typoDistance's
 * first test, without its arrays), and only short titles are compared. False: typoSimilarity is 0.
 */
export function typoLengthsMeet(queryChars: number, titleChars: number): boolean {
  return Math.max(queryChars, titleChars) <= VARIANT_MAX_CHARS + 1 && Math.abs(queryChars - titleChars) <= 1;
}

/**
 * How much a normalised title looks like a Korean query with one typo, in [0, 1): a title one
 * replaced, missing, extra or swapped character away (3+ characters), or a near syllable away
 * (any length), scores 1 − d / (2 × the longer length) — "침큐자" → "침입자" 0.83, "신가함께" →
 * "신과함께" 0.94; anything else 0 (the keystroke similarity decides). Queries without a Hangul
 * syllable score 0.
 */
export function typoSimilarity(q: string, title: string): number {
  if (!q || !title || q === title || !hasSyllable(q)) return 0;
  const lq = charLength(q);
  const lt = charLength(title);
  if (!typoLengthsMeet(lq, lt)) return 0;
  const n = Math.max(lq, lt);
  const d = typoDistance(q, title, 1);
  if (d > 1 || (n < 3 && d > 0.5)) return 0;
  return 1 - d / (2 * n);
}
