// The prefix ranking of the autocomplete and of the full search stops early
// (src/modules/search/movie-search.service.ts, rankPrefixWalk): once enough movies are settled,
// the terms after them cannot change the best. Checked against ranking all of the candidates it
// stands for, on random catalogs and queries whose ranges hold exact, prefix and (autocomplete: an
// unfinished final, 살 also reaches 사랑) no-tier terms.
import { byRelevance, gramCandidates, gramsFindOnlyContaining, PREFIX_CANDIDATES, prefixWalk, rankPrefixWalk, TierRanking, type Ranked } from '../../../src/modules/search/title-queries.js';
import { firstBy, TitleMemory, visibleMask, type MemoryTerm } from '../../../src/modules/search/title-memory.js';
import { charLength, choseong, hasConsonants, normalise } from '../../../src/modules/search/text/index.js';
import type { WatchGrade } from '../../../src/modules/catalog/movie.entity.js';
import { seeded } from '../../support/random.js';

const term = (movieId: number, title: string, popularity: number, watchGrade: WatchGrade | null, field: 'name' | 'name_eng' = 'name'): MemoryTerm => {
  const norm = normalise(title);
  return { movieId, field, title, norm, choseong: choseong(norm), len: charLength(norm), popularity, watchGrade };
};

const best = (ranked: Ranked[], n: number) => firstBy([...ranked], n, byRelevance).sort(byRelevance).map((r) => `${r.movieId}:${r.rank}:${r.field}`);

it.each([
  ['the autocomplete', true],
  ['the full search', false],
])('%s: the best `enough` of the early-stopped ranking are those of ranking every candidate', async (_, partialLast) => {
  const rnd = seeded(5);
  const syllables = [...'사살삶랑라르서설신과함께달다'];
  const grades: Array<WatchGrade | null> = [null, '전체 관람가', '청소년 관람불가'];
  let stoppedEarly = 0;
  let walkedAll = 0;
  const settledAs = { true: 0, false: 0 };
  for (const size of [40, 400, 3000]) {
    const terms: MemoryTerm[] = [];
    for (let id = 1; id <= size; id++) {
      const title = () => Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => syllables[Math.floor(rnd() * syllables.length)]).join('');
      // Few distinct rating counts: many ties, broken by id.
      const popularity = Math.floor(rnd() * 4);
      const g = grades[Math.floor(rnd() * grades.length)]!;
      terms.push(term(id, title(), popularity, g));
      if (rnd() < 0.4) terms.push(term(id, title(), popularity, g, 'name_eng'));
    }
    const mem = new TitleMemory();
    await mem.load(terms);
    const name = (slot: number) => `${mem.records.term(slot).movieId}:${mem.records.term(slot).field}`;
    for (const q of ['사', '살', '사라', '서', '신과', '달', '다르', 'ㅅ', 'ㅅㄹ', '사ㄹ', '함께', '께'].map(normalise))
      for (const g of [null, ['전체 관람가' as WatchGrade]])
        for (const enough of [1, 5, 20]) {
          const all = new TierRanking(mem, q, partialLast);
          const candidates = prefixWalk(mem, q, partialLast, g).take(PREFIX_CANDIDATES);
          const allUnmatched = candidates.filter((t) => !all.add(t));
          // The full search stops early only without lone consonants, where every candidate matches in a tier
          // (none is left to be scored for similarity).
          if (!partialLast && !hasConsonants(q)) expect(allUnmatched).toEqual([]);
          const tiers = new TierRanking(mem, q, partialLast);
          const got = rankPrefixWalk(prefixWalk(mem, q, partialLast, g), tiers, enough);
          expect(best(tiers.ranked(), enough)).toEqual(best(all.ranked(), enough));
          // the terms taken that match in no tier are handed back (the full search scores them for similarity)
          expect(got.unmatched).toEqual(got.rows.filter((t) => !new TierRanking(mem, q, partialLast).add(t)));
          // Settled: no title that only contains the query is among the best, whatever else is added.
          if (got.settled) {
            const withEvery = new TierRanking(mem, q, partialLast);
            for (const t of candidates) withEvery.add(t);
            const mask = visibleMask(g);
            for (let id = 1; id <= size; id++) for (const t of mem.termsOf(id)) if (t.gradeBit & mask) withEvery.add(t.slot);
            expect(best(tiers.ranked(), enough)).toEqual(best(withEvery.ranked(), enough));
            expect(best(tiers.ranked(), enough).every((r) => !r.endsWith(':2:name') && !r.endsWith(':2:name_eng'))).toBe(true);
          }
          settledAs[String(got.settled) as 'true' | 'false']++;
          if (got.rows.length < candidates.length) {
            stoppedEarly++;
            // and when it stops early it has at least `enough` movies (the fallback to the grams is not taken)
            expect(tiers.ranked().length).toBeGreaterThanOrEqual(enough);
          } else {
            walkedAll++;
            expect(got.rows.map(name)).toEqual(candidates.map(name));
            expect(got.unmatched).toEqual(allUnmatched);
          }
        }
  }
  // both ways were taken, many times
  expect(stoppedEarly).toBeGreaterThan(50);
  expect(walkedAll).toBeGreaterThan(50);
  expect(settledAs.true).toBeGreaterThan(50);
  expect(settledAs.false).toBeGreaterThan(50);
});

it('a full search skips the gram candidates only where each of them contains the query', async () => {
  const rnd = seeded(9);
  const syllables = [...'사랑라신과함께달다'];
  const latin = [...'abcd'];
  const terms: MemoryTerm[] = [];
  for (let id = 1; id <= 2000; id++) {
    const pick = (from: string[]) => Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => from[Math.floor(rnd() * from.length)]).join('');
    terms.push(term(id, pick(syllables), Math.floor(rnd() * 9), '전체 관람가'));
    terms.push(term(id, pick(latin), Math.floor(rnd() * 9), '전체 관람가', 'name_eng'));
  }
  terms.push(term(2001, 'Ba사랑', 3, '전체 관람가'));
  const mem = new TitleMemory();
  await mem.load(terms);
  const skipped: string[] = [];
  for (const q of ['사', '사랑', '랑사', '함께', 'a', 'ab', 'abc', 'abcd', '사랑함', 'ㅅ', 'ㅅㄹ', '사ㄹ', 'a사']) {
    if (!gramsFindOnlyContaining(q)) continue;
    skipped.push(q);
    const found = gramCandidates(mem, q, false, null);
    expect(found.length).toBeGreaterThan(0);
    expect(found.filter((slot) => !mem.records.term(slot).norm.includes(q))).toEqual([]);
  }
  // one character, two, three Latin ones; not four, nor three syllables, nor lone consonants
  expect(skipped).toEqual(['사', '사랑', '랑사', '함께', 'a', 'ab', 'abc', 'a사']);
});
