// Text normalisation shared by the index (titles) and the queries, so both sides agree exactly.
import { CLUSTER_PARTS, toCompatibilityJamo } from './hangul.js';

const KEEP = /^[\p{L}\p{N}]$/u;
const MARKS = /\p{M}/gu;

/**
 * The search form of a title or a query: lower case, compatibility forms folded (NFKC: full-width
 * "ＡＢＣ" → "abc", "①" → "1"), accents dropped ("Amélie" → "amelie"), Hangul recomposed (a decomposed
 * 신 becomes one syllable), lone jamo as compatibility letters (ᄀ and ㄱ are one letter) with final
 * clusters split into what was typed (ㄳ → ㄱㅅ), and everything but letters and digits removed —
 * spaces, punctuation and symbols ("신과함께-죄와 벌" → "신과함께죄와벌").
 */
export function normalise(s: string): string {
  const folded = s.toLowerCase().normalize('NFKD').replace(MARKS, '').normalize('NFC');
  let out = '';
  for (const raw of folded) {
    const ch = toCompatibilityJamo(raw);
    if (!KEEP.test(ch)) continue;
    out += CLUSTER_PARTS[ch] ?? ch;
  }
  return out;
}

/** Number of characters (code points), not UTF-16 units. */
export function charLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}
