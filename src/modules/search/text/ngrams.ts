// Character n-grams. The index stores the bigrams of every normalised title padded with a start
// and an end mark, so that every character of a title begins at least one gram: a one-character
// query finds its titles through the grams that start with it.

export const PAD_START = '^';
export const PAD_END = '$';

/** Distinct bigrams of `s` in order of first appearance (characters, not UTF-16 units). */
export function bigrams(s: string, pad = false): string[] {
  const chars = [...(pad ? PAD_START + s + PAD_END : s)];
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  return [...out];
}

/** What the index stores for one normalised title (empty title → no grams). */
export function indexGrams(norm: string): string[] {
  return norm ? bigrams(norm, true) : [];
}

/**
 * The grams a query looks up: its inner bigrams (no padding, so a title containing the query
 * anywhere has them all). A one-character query has none: it is looked up by the grams that
 * start with that character.
 */
export function queryGrams(norm: string): string[] {
  return bigrams(norm, false);
}
