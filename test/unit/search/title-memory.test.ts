// The search terms held in memory (src/modules/search/title-memory.ts): a movie replaced, added or
// removed one at a time leaves exactly what loading the same terms at once gives, and the lookups
// answer the ranges, grams and variants the table's writer derives.
import { highestFirst, idsByCount, idsByListCount, TitleMemory, type MemoryTerm } from '../../../src/modules/search/title-memory.js';
import { choseong, charLength, indexGrams, normalise, titleVariants } from '../../../src/modules/search/text/index.js';
import type { WatchGrade } from '../../../src/modules/catalog/movie.entity.js';

const term = (movieId: number, title: string, popularity = 0, watchGrade: WatchGrade | null = null, field: 'name' | 'name_eng' = 'name'): MemoryTerm => {
  const norm = normalise(title);
  return { movieId, field, title, norm, choseong: choseong(norm), len: charLength(norm), popularity, watchGrade };
};

/** Everything observable of a TitleMemory over a vocabulary of lookups. */
function snapshot(mem: TitleMemory, probes: string[]) {
  const ids = (ts: readonly MemoryTerm[]) => ts.map((t) => `${t.movieId}:${t.field}`).sort();
  return {
    movies: mem.movies,
    ranges: probes.map((p) => ids(mem.normRange(p, undefined, null))),
    choseong: probes.map((p) => ids(mem.choseongPrefix(choseong(p), null))),
    grams: probes.flatMap((p) => indexGrams(p)).map((g) => [g, mem.frequency(g), [...mem.moviesWithGram(g)]]),
    starts: probes.map((p) => [...mem.gramsStartingWith([...p][0] ?? '')].sort((a, b) => a[0] - b[0])),
    variants: probes.flatMap((p) => titleVariants(p)).map((v) => [v, [...mem.moviesWithVariant(v)]]),
  };
}

const titles = ['신과함께-죄와 벌', '신과함께-인과 연', '신과 함께', '그리고 신과함께', '기생충', '괴물', 'The Matrix', '매트릭스', '해리 포터와 마법사의 돌', 'harry potter'];
const probes = ['신과', '신과함께', '그', '기생', '괴', 'the', 'matrix', '매', '해리', 'harry', 'ㅅㄱ', '신과함께죄와벌', '기생충'].map(normalise);

it('replacing movies one by one (add, rename, remove, in any order) equals loading the result at once', async () => {
  const rnd = (() => {
    let x = 42;
    return () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  })();
  const live = new TitleMemory();
  await live.load([]);
  const want = new Map<number, MemoryTerm[]>();
  for (let step = 0; step < 400; step++) {
    const id = 1 + Math.floor(rnd() * 25);
    const r = rnd();
    let next: MemoryTerm[] = [];
    if (r > 0.25) {
      next = [term(id, titles[Math.floor(rnd() * titles.length)]!, Math.floor(rnd() * 100))];
      if (r > 0.6) next.push(term(id, titles[Math.floor(rnd() * titles.length)]!, next[0]!.popularity, null, 'name_eng'));
    }
    live.replace(id, next);
    if (next.length) want.set(id, next);
    else want.delete(id);
  }
  const loaded = new TitleMemory();
  await loaded.load([...want.values()].flat());
  expect(snapshot(live, probes)).toEqual(snapshot(loaded, probes));
  expect(live.movies).toBe(want.size);
  // and every posting list is ascending
  for (const p of probes) for (const g of indexGrams(p)) expect([...live.moviesWithGram(g)]).toEqual([...live.moviesWithGram(g)].sort((a, b) => a - b));
});

it('ranges: a prefix, a half-open range and 초성, visible grades only', async () => {
  const mem = new TitleMemory();
  await mem.load([term(1, '신과 함께', 5), term(2, '신과함께-죄와 벌', 9, '청소년 관람불가'), term(3, '기생충'), term(4, '식객')]);
  expect(mem.normRange('신과', undefined, null).map((t) => t.movieId)).toEqual([1, 2]);
  expect(mem.normRange('신과', undefined, ['12세 관람가']).map((t) => t.movieId)).toEqual([1]);
  expect(mem.normRange('신과', undefined, []).map((t) => t.movieId)).toEqual([1]);
  // [식, 신) holds 식객 only
  expect(mem.normRange('식', '신', null).map((t) => t.movieId)).toEqual([4]);
  expect(mem.choseongPrefix('ㅅㄱ', null).map((t) => t.movieId).sort()).toEqual([1, 2, 4]);
  expect(mem.normRange('없는', undefined, null)).toEqual([]);
});

it('idsByListCount groups ascending ids by how many lists hold them', () => {
  expect(idsByListCount([[1, 3, 5, 7], [3, 4, 7, 9]])).toEqual([[], [1, 4, 5, 9], [3, 7]]);
  expect(idsByListCount([[2, 4]])).toEqual([[], [2, 4]]);
  expect(idsByListCount([])).toEqual([[]]);
  expect(idsByListCount([[], [1]])).toEqual([[], [1], []]);
});

it('idsByCount buckets a count map with ascending ids; highestFirst lists them from the highest count down', () => {
  const counts = new Map([[9, 1], [3, 2], [5, 1], [1, 2], [7, 3]]);
  expect(idsByCount(counts)).toEqual([[], [5, 9], [1, 3], [7]]);
  expect(highestFirst(idsByCount(counts), 1)).toEqual([7, 1, 3, 5, 9]);
  expect(highestFirst(idsByCount(counts), 2)).toEqual([7, 1, 3]);
  expect(highestFirst([[]], 1)).toEqual([]);
});
