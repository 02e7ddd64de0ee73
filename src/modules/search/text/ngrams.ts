// Character n-grams of the index. Every normalised title is padded with a start and an end mark
// and stored as its bigrams, so that every character of a title begins at least one gram (a
// one-character query finds its titles through the grams that start with it). Latin letters and
// digits have a small alphabet — their bigrams ("th", "er") occur in most English titles — so runs
// of them are also stored as trigrams, and a query looks those up instead.

export const PAD_START = '^';
export const PAD_END = '$';

const LATIN = /^[a-z0-9^$]$/;
const isLatin = (c: string | undefined) => c !== undefined && LATIN.test(c);

/** Distinct bigrams of `s` in order of first appearance (characters, not UTF-16 units). */
export function bigrams(s: string, pad = false): string[] {
  const chars = [...(pad ? PAD_START + s + PAD_END : s)];
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  return [...out];
}

/** What the index stores for one normalised title: padded bigrams, plus trigrams of Latin runs (empty title → none). */
export function indexGrams(norm: string): string[] {
  if (!norm) return [];
  const chars = [...(PAD_START + norm + PAD_END)];
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) {
    out.add(chars[i]! + chars[i + 1]!);
    if (isLatin(chars[i]) && isLatin(chars[i + 1]) && isLatin(chars[i + 2])) out.add(chars[i]! + chars[i + 1]! + chars[i + 2]!);
  }
  return [...out];
}

/**
 * The grams a query looks up (no padding, so a title containing the query anywhere has them all):
 * the trigram at each position where three Latin characters start, the bigram elsewhere (a bigram
 * whose first two characters are Latin is skipped when the trigram after it covers them). A
 * one-character query has none: it is looked up by the grams that start with that character.
 */
export function queryGrams(norm: string): string[] {
  const chars = [...norm];
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) {
    const a = chars[i]!;
    const b = chars[i + 1]!;
    if (isLatin(a) && isLatin(b)) {
      if (isLatin(chars[i + 2])) out.add(a + b + chars[i + 2]!);
      // A Latin pair at the end of a run of 3+ is inside the previous trigram.
      else if (!isLatin(chars[i - 1])) out.add(a + b);
    } else out.add(a + b);
  }
  return [...out];
}
