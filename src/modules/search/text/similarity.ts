// Typo tolerance: how much a title looks like a query, by bigrams of their keystrokes (jamo), so
// that "신가함께" is close to "신과함께" (ㄱㅏ vs ㄱㅗㅏ: one vowel apart) and "hary poter" to
// "harry potter". The query is compared with the best-matching stretch of the title (like
// pg_trgm's word_similarity), so a short query is not drowned by a long title, and a short query
// does not match a long title just because its few letters occur scattered over it.
import { toJamo } from './hangul.js';
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

/**
 * A normalised query prepared for scoring many titles: `similarity` and `closeness` as the
 * functions below, without redoing the query's side for every title.
 */
export function similarityScorer(query: string): { similarity(title: string): number; closeness(title: string): number } {
  const qJamo = [...toJamo(query)];
  const window = windowDiceAgainst(bigramList(qJamo));
  const qPadded = new Set(bigrams(qJamo.join(''), true));
  return {
    similarity: (title) => (query && title ? window([...toJamo(title)]) : 0),
    closeness: (title) => {
      if (!query || !title) return 0;
      const t = new Set(bigrams(toJamo(title), true));
      let n = 0;
      for (const g of qPadded) if (t.has(g)) n++;
      return (2 * n) / (qPadded.size + t.size);
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
