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
  return PLAIN.test(s) ? s.toLowerCase().replace(NOT_KEPT_PLAIN, '') : normaliseFully(s);
}

/**
 * Text of ASCII and precomposed Hangul syllables only (most titles and queries): Unicode folding
 * gives it back unchanged but for case (NFKD then NFC recompose a syllable as it was; ASCII has no
 * compatibility forms or marks), and of it only letters, digits and syllables are kept, so
 * normalise lowers the case and drops the rest without the Unicode passes (the same result as
 * normaliseFully, tested on random text).
 */
const PLAIN = /^[\u0000-\u007f\uac00-\ud7a3]*$/;
const NOT_KEPT_PLAIN = /[^a-z0-9\uac00-\ud7a3]/g;

/** normalise by the general path (every string). */
export function normaliseFully(s: string): string {
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
