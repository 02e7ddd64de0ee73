// The query half of the movie search (movie-search.service.ts describes the method): candidates
// looked up in a TitleMemory and ranked, down to movie ids (the full search) or titles (the
// autocomplete). Pure functions of the memory and the query, with no database and no cache: they
// run wherever the memory is held (terms-host.ts: the search thread, or the caller's).
import type { TermField } from './movie-search.entities.js';
import { charLength, choseong, hasConsonants, isPlainQuery, isSyllable, keystrokeSet, literalPrefix, partialSyllableRange, plainTierRank, queryGrams, queryVariants, similarityScorer, SIMILAR_THRESHOLD, TIER_RANK, tierMatcher, typoLengthsMeet, typoSimilarity, type MatchTier } from './text/index.js';
import { FIELDS, firstBy, highestFirst, idsByCount, idsByListCount, NOT_NUMBERED, visibleMask, type Grades, type TermRecords, type TermWalk, type TitleMemory } from './title-memory.js';

/** Seed 004: the autocomplete sends at most 10 titles. */
export const AUTOCOMPLETE_MAX = 10;
/** At most this many movies in search_result and in similar_result. */
export const SEARCH_RESULT_MAX = 30;
export const SIMILAR_RESULT_MAX = 10;
/** Bounds of the candidate sets scored in code. */
export const PREFIX_CANDIDATES = 300;
export const GRAM_CANDIDATES = 150;
export const CHOSEONG_CANDIDATES = 100;
export const VARIANT_CANDIDATES = 100;
/**
 * A query's grams looked up: its rarest ones (a title containing the query has them all). The
 * count a title shares orders the gram candidates: with all of a query's grams (up to this many),
 * a title like the query comes before one sharing a single rare gram with it.
 */
export const GRAMS_LOOKED_UP = 8;
/** Longest query looked at (characters of the normalised form). */
export const MAX_QUERY_CHARS = 100;

export interface Ranked {
  movieId: number;
  /** 0 exact, 1 prefix, 2 contains, 3 similar. */
  rank: number;
  similarity: number;
  /** Whole-title similarity (tie-break among similar titles). */
  closeness: number;
  /** The term that matched best. */
  field: TermField;
  popularity: number;
}

/** The full search's movies, best first: search_result (exact, prefix, contains) and, disjoint from it, similar_result. */
export interface SearchIds {
  matched: number[];
  similar: number[];
}

/** The full search of the normalised query `q` (not empty) for a viewer seeing `grades`. */
export function searchIds(mem: TitleMemory, q: string, grades: Grades): SearchIds {
  // The titles starting with the query, best first, until the shown ones are settled (rankPrefixWalk).
  // With lone consonants the range is that of the literal part before them, so some of its terms
  // match in no tier and are scored for similarity: all of its candidates are taken.
  const tiers = new TierRanking(mem, q, false);
  const { unmatched, settled } = rankPrefixWalk(prefixWalk(mem, q, false, grades), tiers, hasConsonants(q) ? Infinity : SEARCH_RESULT_MAX);
  // The candidate lists overlap (a title found by its prefix and by its grams); the ranking keeps the best per movie.
  // With the shown matches settled, titles containing the query are neither shown (they come after
  // them) nor similar (literal): when every gram candidate is such a title, none is looked up.
  const lists = settled && gramsFindOnlyContaining(q) ? [] : [gramCandidates(mem, q, false, grades)];
  // A Korean query with a wrong vowel still has the right initial consonants.
  if (!hasConsonants(q) && charLength(q) >= 2 && [...q].some(isSyllable)) lists.push(choseongCandidates(mem, q, grades));
  // A short Korean title one syllable wrong, missing or extra.
  if (!hasConsonants(q)) lists.push(variantCandidates(mem, q, grades));
  const ranked = rankCandidates(mem, q, lists, { partialLast: false, similar: SIMILAR_RESULT_MAX, visible: visibleMask(grades) }, tiers, unmatched);
  // The best of each list (byRelevance is a total order: selecting, then sorting the few, is sorting all and cutting).
  const matched = firstBy(ranked.filter((r) => r.rank < 3), SEARCH_RESULT_MAX, byRelevance).sort(byRelevance);
  const similar = firstBy(ranked.filter((r) => r.rank === 3), SIMILAR_RESULT_MAX, byRelevance).sort(byRelevance);
  return { matched: matched.map((r) => r.movieId), similar: similar.map((r) => r.movieId) };
}

/** Up to AUTOCOMPLETE_MAX titles for the normalised query `q` (not empty) being typed: exact, prefix, contains; the last syllable may be unfinished. */
export function autocompleteTitles(mem: TitleMemory, q: string, grades: Grades): string[] {
  const tiers = new TierRanking(mem, q, true);
  const { rows } = rankPrefixWalk(prefixWalk(mem, q, true, grades), tiers, 2 * AUTOCOMPLETE_MAX);
  let ranked = tiers.ranked();
  // Not enough titles start with it: titles containing it.
  if (ranked.length < AUTOCOMPLETE_MAX) ranked = rankCandidates(mem, q, [rows, gramCandidates(mem, q, true, grades)], { partialLast: true, similar: 0, visible: visibleMask(grades) });
  // Titles of the best (twice as many as shown: two movies may share a title).
  const top = firstBy(ranked, 2 * AUTOCOMPLETE_MAX, byRelevance).sort(byRelevance);
  const out: string[] = [];
  for (const r of top) {
    const title = mem.termsOf(r.movieId).find((t) => t.field === r.field)?.title;
    if (title !== undefined && !out.includes(title)) out.push(title);
    if (out.length === AUTOCOMPLETE_MAX) break;
  }
  return out;
}

// ---- ranking ----------------------------------------------------------------------------------------------

/**
 * Best tier (or, for the movies without one, similarity) per movie over its terms, from candidate
 * lists that may overlap (a term in two lists scores the same twice; the order does not matter).
 * `similar`: how many similar movies are shown (0: none scored). Every movie with a tier is
 * ranked; of the similar ones only those that can be among the `similar` best (by similarity,
 * ties included), since only they need the closeness tie-break.
 */
export function rankCandidates(
  mem: TitleMemory,
  q: string,
  lists: ReadonlyArray<readonly number[]>,
  opts: { partialLast: boolean; similar: number; /** the viewer's visibleMask */ visible: number },
  tiers = new TierRanking(mem, q, opts.partialLast),
  unmatched: number[] = [],
): Ranked[] {
  const best = tiers.best;
  const records = mem.records;
  for (const slots of lists) for (const slot of slots) if (!tiers.add(slot)) unmatched.push(slot);
  if (opts.similar > 0 && unmatched.length) {
    // Scored synchronously against the numbering of the terms' bigrams as it is now.
    const scorer = similarityScorer(q, mem.numbers);
    const keys = keystrokeSet(q);
    const queryChars = charLength(q);
    // The candidate lists overlap (a title found by its prefix and by its grams): score a term once.
    records.newRound();
    const similar: Array<{ slot: number; sim: number }> = [];
    const movieSim = new Map<number, number>();
    const literalMovies = new Map<number, boolean>();
    const literal = (id: number) => {
      let is = literalMovies.get(id);
      if (is === undefined) {
        is = false;
        for (let field = 0; field < FIELDS && !is; field++) {
          const slot = mem.slotOf(id, field);
          is = slot >= 0 && (records.gradeBitOf(slot) & opts.visible) !== 0 && tiers.matches(slot);
        }
        literalMovies.set(id, is);
      }
      return is;
    };
    for (const slot of unmatched) {
      const movieId = records.movieOf(slot);
      // A movie matched literally by one of its titles is not "similar".
      if ((best.get(movieId)?.rank ?? 3) < 3) continue;
      // Not a keystroke in common: it would score 0 (text/similarity.ts).
      if (!records.meets(slot, keys) || !records.mark(slot)) continue;
      const count = records.bigramCount(slot);
      const keystrokes = count === NOT_NUMBERED ? scorer.similarityAtLeast(records.term(slot).norm, SIMILAR_THRESHOLD) : scorer.similarityAtLeastNumbered(records.text, records.bigramsAt(slot), count, SIMILAR_THRESHOLD);
      // The typo score only where the lengths allow one (it reads the title's text).
      const sim = typoLengthsMeet(queryChars, records.charsOf(slot)) ? Math.max(typoSimilarity(q, records.term(slot).norm), keystrokes) : keystrokes;
      if (sim < SIMILAR_THRESHOLD) continue;
      // Nor by a visible title that is not among the candidates (the prefix walk stops once the shown ones are settled).
      if (literal(movieId)) continue;
      similar.push({ slot, sim });
      if (sim > (movieSim.get(movieId) ?? -1)) movieSim.set(movieId, sim);
    }
    // Every numbered score is taken: the numbering's table goes back for the next query.
    scorer.release();
    // The similarity the shown movies reach at least: a movie below it is not shown whatever its
    // closeness (it only breaks ties of similarity), and neither is a title below its movie's best.
    const sims = [...movieSim.values()];
    const cut = sims.length <= opts.similar ? -Infinity : Math.min(...firstBy(sims, opts.similar, (a, b) => b - a));
    for (const { slot, sim } of similar) {
      const movieId = records.movieOf(slot);
      if (sim < cut || sim < movieSim.get(movieId)!) continue;
      const field = records.fieldOf(slot);
      const next = { movieId, rank: 3, similarity: sim, closeness: scorer.closeness(records.term(slot).norm), field, popularity: records.popularityOf(slot) };
      if (better(best.get(movieId), next, field)) best.set(movieId, next);
    }
  }
  return [...best.values()];
}

/** Whether `next` (of the term's `field`) is better than `prev` for its movie: tier, similarity, closeness, then the Korean name over the English one. */
function better(prev: Ranked | undefined, next: Ranked, field: TermField): boolean {
  return !prev || next.rank < prev.rank || (next.rank === prev.rank && (next.similarity > prev.similarity || (next.similarity === prev.similarity && (next.closeness > prev.closeness || (next.closeness === prev.closeness && field === 'name')))));
}

/** The best tier (exact, prefix, contains) per movie over the terms added, by slot of `mem`'s records (ranking's literal half). */
export class TierRanking {
  readonly best = new Map<number, Ranked>();
  readonly records: TermRecords;
  private readonly tierOf: (title: string) => MatchTier | null;
  /** A plain query's code units (null: matched through tierOf, from the title's string). */
  private readonly plain: Uint16Array | null;

  constructor(mem: TitleMemory, q: string, partialLast: boolean) {
    this.records = mem.records;
    this.tierOf = tierMatcher(q, { partialLast });
    this.plain = isPlainQuery(q, { partialLast }) ? Uint16Array.from({ length: q.length }, (_, i) => q.charCodeAt(i)) : null;
  }

  /** TIER_RANK of the term in the slot, or -1 when it matches the query in no tier. */
  private rankOf(slot: number): number {
    const records = this.records;
    if (this.plain) return plainTierRank(this.plain, records.text, records.normAt(slot), records.normUnits(slot));
    const tier = this.tierOf(records.term(slot).norm);
    return tier ? TIER_RANK[tier] : -1;
  }

  /** Folds the term in; false when it matches the query in no tier. */
  add(slot: number): boolean {
    const rank = this.rankOf(slot);
    if (rank < 0) return false;
    const records = this.records;
    const movieId = records.movieOf(slot);
    const field = records.fieldOf(slot);
    const next = { movieId, rank, similarity: 1, closeness: 1, field, popularity: records.popularityOf(slot) };
    if (better(this.best.get(movieId), next, field)) this.best.set(movieId, next);
    return true;
  }

  /** Whether the term matches the query in a tier (without folding it in). */
  matches(slot: number): boolean {
    return this.rankOf(slot) >= 0;
  }

  /** The best per movie so far. */
  ranked(): Ranked[] {
    return [...this.best.values()];
  }
}

/**
 * The ranking of a prefix walk's first PREFIX_CANDIDATES terms (what rank() gives for them),
 * stopping early once `enough` movies are known to be among the best: a movie is settled when
 * it matches exactly, or by prefix while ahead (more rated, or as rated with a lower id) of the
 * next term — every term after it is no better than a prefix match of that term, and none of the
 * walk's later terms is as long as the query (exact-length ones come first), so none is exact.
 * The `enough` best of what is returned are then the `enough` best of all the candidates, and
 * `rows` are the terms taken (all the candidates when it did not stop early). `settled`: the
 * `enough` best exact and prefix matches of every visible term are known (it stopped early, or it
 * ran out before PREFIX_CANDIDATES with at least `enough` of them), so no title that only contains
 * the query is among the `enough` best.
 */
export function rankPrefixWalk(walk: TermWalk, tiers: TierRanking, enough: number): { rows: number[]; unmatched: number[]; settled: boolean } {
  const records = tiers.records;
  const rows: number[] = [];
  const unmatched: number[] = [];
  // Movies matching by prefix (rank 1) that may be settled, in walk order: those of the exact-length
  // terms, and those of the rest (taken in rating order, so settled in that order).
  const waiting: Ranked[][] = [[], []];
  const at = [0, 0];
  const settled = new Set<number>();
  const ahead = (m: Ranked, popularity: number, movieId: number) => m.popularity > popularity || (m.popularity === popularity && m.movieId < movieId);
  while (rows.length < PREFIX_CANDIDATES) {
    const exact = walk.inExact;
    const t = walk.next();
    if (t < 0) break;
    const movieId = records.movieOf(t);
    if (!exact) {
      const popularity = records.popularityOf(t);
      for (const k of [0, 1]) {
        const list = waiting[k]!;
        while (at[k]! < list.length && ahead(list[at[k]!]!, popularity, movieId)) settled.add(list[at[k]!++]!.movieId);
      }
      if (settled.size >= enough) return { rows, unmatched, settled: true };
    }
    rows.push(t);
    if (!tiers.add(t)) {
      unmatched.push(t);
      continue;
    }
    const r = tiers.best.get(movieId)!;
    if (r.rank === 0) settled.add(movieId);
    else if (r.rank === 1) waiting[exact ? 0 : 1]!.push(r);
  }
  // The walk ran out (not cut at PREFIX_CANDIDATES): every exact and prefix match is known.
  if (rows.length < PREFIX_CANDIDATES) {
    let matched = 0;
    for (const r of tiers.best.values()) if (r.rank < 2) matched++;
    return { rows, unmatched, settled: matched >= enough };
  }
  return { rows, unmatched, settled: false };
}

// ---- candidates (looked up in the terms held in memory; each answers visible terms only) -------------

/**
 * Terms starting with the query (or, for consonant input, whose 초성 do), best first: as long as
 * the query first (exact), then the most rated, then by movie id and field (TermWalk).
 */
export function prefixWalk(mem: TitleMemory, q: string, partialLast: boolean, grades: Grades): TermWalk {
  const literal = literalPrefix(q, { partialLast });
  const chars = [...q];
  const last = chars[chars.length - 1]!;
  if (partialLast && !hasConsonants(q) && isSyllable(last)) {
    // An unfinished last syllable: the syllables it can still become are one run of code points
    // (same initial and vowel, any final; compound vowels follow their first half): one range.
    const [lo, hi] = partialSyllableRange(last);
    return mem.normRange(literal + lo, literal + hi, grades, chars.length);
  }
  if (literal) return mem.normRange(literal, undefined, grades, chars.length);
  return mem.choseongPrefix(choseong(q), grades, chars.length);
}

/**
 * Titles about as long as the query whose 초성 start with the query's (typo candidates of a Korean
 * full search: a wrong vowel keeps the consonants). Longer titles are reached through the grams.
 */
function choseongCandidates(mem: TitleMemory, q: string, grades: Grades): number[] {
  return mem.shortChoseongPrefix(choseong(q), charLength(q) + 2, grades, charLength(q)).take(CHOSEONG_CANDIDATES);
}

/** The movies whose deletion neighbourhood meets the query's (text/typos.ts): most shared variants first, then the most rated. */
function variantCandidates(mem: TitleMemory, q: string, grades: Grades): number[] {
  const byCount = idsByListCount(queryVariants(q).map((key) => mem.moviesWithVariant(key)));
  return mem.visibleTermsOfMostRated(highestFirst(byCount, 1), VARIANT_CANDIDATES, grades);
}

/**
 * Whether every title gramCandidates finds for a full search contains the query: a one-character
 * query (titles with a gram starting with it), or one whose only gram is itself (two characters,
 * or three Latin ones). A movie's titles share its grade, so such a movie is matched literally.
 */
export function gramsFindOnlyContaining(q: string): boolean {
  if (hasConsonants(q)) return false;
  if (charLength(q) === 1) return true;
  const grams = queryGrams(q);
  return grams.length === 1 && grams[0] === q;
}

/** The movies sharing the most of the query's rarest grams (or, for one literal character, grams starting with it). */
export function gramCandidates(mem: TitleMemory, q: string, partialLast: boolean, grades: Grades): number[] {
  const chars = [...q];
  if (partialLast && isSyllable(chars[chars.length - 1]!)) chars.pop();
  // Literal runs between lone consonants.
  const runs = chars.join('').split(/[ㄱ-ㅎ]/u).filter(Boolean);
  const grams = [...new Set(runs.flatMap((r) => queryGrams(r)))];
  const one = runs.sort((a, b) => b.length - a.length)[0];
  let ordered: Array<readonly number[]>;
  if (grams.length) {
    // The rarest of the query's grams (a title containing the query has them all; grams no title has drop out).
    const looked = grams
      .filter((g) => mem.frequency(g) > 0)
      .sort((a, b) => mem.frequency(a) - mem.frequency(b) || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, GRAMS_LOOKED_UP);
    // Most shared first, then the most rated. Autocomplete shows only titles containing the query's literal
    // runs: such a title has every gram looked up.
    const byCount = idsByListCount(looked.map((g) => mem.moviesWithGram(g)));
    ordered = highestFirst(byCount, partialLast ? looked.length : 1);
  } else if (one) {
    ordered = highestFirst(idsByCount(mem.gramsStartingWith(one)), 1);
  } else return [];
  // Only the terms sharing a keystroke with the query (the movie's other title, in another script, can neither match nor be similar).
  return mem.visibleTermsOfMostRated(ordered, GRAM_CANDIDATES, grades, keystrokeSet(q));
}

/** Tier, then (similar only) similarity and whole-title closeness, then rating count, then id. */
export function byRelevance(a: Ranked, b: Ranked): number {
  return a.rank - b.rank || (a.rank === 3 ? b.similarity - a.similarity || b.closeness - a.closeness : 0) || b.popularity - a.popularity || a.movieId - b.movieId;
}
