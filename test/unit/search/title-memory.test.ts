// The search terms held in memory (src/modules/search/title-memory.ts): a movie replaced, added or
// removed one at a time leaves exactly what loading the same terms at once gives, and the lookups
// answer the ranges, grams and variants the table's writer derives.
import { FIELD_ORDER, firstBy, highestFirst, idsByCount, idsByListCount, NOT_NUMBERED, nthHighest, TitleMemory, visibleMask, type MemoryTerm, type TermWalk } from '../../../src/modules/search/title-memory.js';
import { BigramNumbers, choseong, charLength, indexGrams, keystrokeSet, normalise, titleVariants } from '../../../src/modules/search/text/index.js';
import { WATCH_GRADES, type WatchGrade } from '../../../src/modules/catalog/movie.entity.js';
import { isGradeVisible } from '../../../src/modules/age/age.policy.js';
import { seeded } from '../../support/random.js';

const term = (movieId: number, title: string, popularity = 0, watchGrade: WatchGrade | null = null, field: 'name' | 'name_eng' = 'name'): MemoryTerm => {
  const norm = normalise(title);
  return { movieId, field, title, norm, choseong: choseong(norm), len: charLength(norm), popularity, watchGrade };
};

/** The terms held in the slots a lookup answers. */
const held = (mem: TitleMemory, slots: readonly number[]) => slots.map((slot) => mem.records.term(slot));

/** Everything observable of a TitleMemory over a vocabulary of lookups. */
function snapshot(mem: TitleMemory, probes: string[]) {
  const ids = (ts: readonly MemoryTerm[]) => ts.map((t) => `${t.movieId}:${t.field}`).sort();
  return {
    movies: mem.movies,
    ranges: probes.map((p) => ids(held(mem, mem.normRange(p, undefined, null).take(Infinity)))),
    choseong: probes.map((p) => ids(held(mem, mem.choseongPrefix(choseong(p), null).take(Infinity)))),
    shortChoseong: probes.map((p) => ids(held(mem, mem.shortChoseongPrefix(choseong(p), charLength(p) + 2, null).take(Infinity)))),
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
  const all = (walk: TermWalk) => held(mem, walk.take(Infinity)).map((t) => t.movieId);
  // best first: the most rated
  expect(all(mem.normRange('신과', undefined, null))).toEqual([2, 1]);
  expect(all(mem.normRange('신과', undefined, ['12세 관람가']))).toEqual([1]);
  expect(all(mem.normRange('신과', undefined, []))).toEqual([1]);
  // [식, 신) holds 식객 only
  expect(all(mem.normRange('식', '신', null))).toEqual([4]);
  expect(all(mem.choseongPrefix('ㅅㄱ', null)).sort()).toEqual([1, 2, 4]);
  // at most 4 characters: 신과함께 (4), 식객 (2); not 신과함께죄와벌
  expect(all(mem.shortChoseongPrefix('ㅅㄱ', 4, null)).sort()).toEqual([1, 4]);
  expect(all(mem.shortChoseongPrefix('ㅅㄱ', 7, ['12세 관람가'])).sort()).toEqual([1, 4]);
  expect(all(mem.shortChoseongPrefix('ㅅㄱ', 1, null))).toEqual([]);
  expect(all(mem.normRange('없는', undefined, null))).toEqual([]);
  // as long as the query (here 2 characters) first, then the most rated
  expect(all(mem.choseongPrefix('ㅅㄱ', null, 2))).toEqual([4, 2, 1]);
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
  expect(highestFirst(idsByCount(counts), 1)).toEqual([[7], [1, 3], [5, 9]]);
  expect(highestFirst(idsByCount(counts), 2)).toEqual([[7], [1, 3]]);
  expect(highestFirst([[]], 1)).toEqual([]);
});

it('shortChoseongPrefix is choseongPrefix cut to the length', async () => {
  const rnd = seeded(3);
  const syllables = [...'신과함께기생충식객사랑전쟁서울'];
  const mem = new TitleMemory();
  const all = Array.from({ length: 300 }, (_, k) => term(k + 1, Array.from({ length: 1 + Math.floor(rnd() * 7) }, () => syllables[Math.floor(rnd() * syllables.length)]).join(''), k % 7, k % 5 ? null : '청소년 관람불가'));
  await mem.load(all);
  for (const q of ['신', '사랑', '기생충', '서울사', 'ㅅㄱ', '식']) {
    const prefix = choseong(normalise(q));
    for (const maxLen of [1, 2, 3, 5, 9])
      for (const grades of [null, ['12세 관람가' as WatchGrade]]) {
        const want = held(mem, mem.choseongPrefix(prefix, grades).take(Infinity)).filter((t) => t.len <= maxLen).map((t) => `${t.movieId}`).sort();
        expect(held(mem, mem.shortChoseongPrefix(prefix, maxLen, grades).take(Infinity)).map((t) => `${t.movieId}`).sort()).toEqual(want);
      }
  }
});

it('visibleMask asks the age policy: a term is visible exactly when isGradeVisible says so', async () => {
  const gradeSets: Array<readonly WatchGrade[] | null | undefined> = [null, undefined, [], ['전체 관람가'], ['전체 관람가', '12세 관람가', '15세 관람가'], [...WATCH_GRADES]];
  const terms = [...WATCH_GRADES, null, '19금' as WatchGrade].map((g, k) => term(k + 1, `영화 ${k}`, 0, g));
  const mem = new TitleMemory();
  await mem.load(terms);
  for (const grades of gradeSets) {
    expect(visibleMask(grades)).toBeGreaterThan(0);
    const seen = held(mem, mem.normRange('영화', undefined, grades).take(Infinity)).map((t) => t.movieId);
    expect(seen).toEqual(terms.filter((t) => isGradeVisible(t.watchGrade, grades)).map((t) => t.movieId));
  }
});

it('visibleTermsOfFirst: the first movies with visible terms; with a query, only the terms sharing a keystroke', async () => {
  const mem = new TitleMemory();
  await mem.load([term(1, '용서', 0, '청소년 관람불가'), term(2, '용서 사랑', 0), term(2, 'Forgiveness', 0, null, 'name_eng'), term(3, '용서받지 못한 자'), term(4, '용기')]);
  expect(held(mem, mem.visibleTermsOfFirst([[1, 2], [3, 4]], 2, ['12세 관람가'])).map((t) => `${t.movieId}:${t.field}`)).toEqual(['2:name', '2:name_eng', '3:name']);
  // movie 2 still counts (its Korean title is returned), its English title does not meet 용서
  expect(held(mem, mem.visibleTermsOfFirst([[1, 2, 3, 4]], 2, ['12세 관람가'], keystrokeSet('용서'))).map((t) => `${t.movieId}:${t.field}`)).toEqual(['2:name', '3:name']);
  expect(held(mem, mem.visibleTermsOfFirst([[9], [], [4]], 5, null)).map((t) => t.movieId)).toEqual([4]);
});

it('visibleTermsOfMostRated: the most rated visible movies of the first lists (ties by id), whatever their ids', async () => {
  const mem = new TitleMemory();
  await mem.load([
    term(1, '용서 1', 5),
    term(2, '용서 2', 50, '청소년 관람불가'),
    term(3, '용서 3', 7),
    term(4, '용서 4', 7),
    term(5, '용서 5', 90),
    term(6, '용서 6', 1),
    term(7, '용서 7', 30),
    term(7, 'Forgiveness 7', 30, null, 'name_eng'),
  ]);
  const ids = (terms: Array<{ movieId: number }>) => [...new Set(terms.map((t) => t.movieId))].sort((a, b) => a - b);
  // The 3 most rated visible of the first list: 5 (90), 7 (30), then 3 and 4 tie at 7: the lower id. Movie 2 is hidden.
  expect(ids(held(mem, mem.visibleTermsOfMostRated([[1, 2, 3, 4, 5]], 2, ['12세 관람가'])))).toEqual([3, 5]);
  expect(ids(held(mem, mem.visibleTermsOfMostRated([[1, 2, 3, 4, 5, 6, 7]], 3, ['12세 관람가'])))).toEqual([3, 5, 7]);
  expect(ids(held(mem, mem.visibleTermsOfMostRated([[1, 2, 3, 4, 5, 6, 7]], 3, null)))).toEqual([2, 5, 7]);
  // A later list only fills what the earlier ones left.
  expect(ids(held(mem, mem.visibleTermsOfMostRated([[1, 6], [5, 7, 3]], 3, null)))).toEqual([1, 5, 6]);
  expect(ids(held(mem, mem.visibleTermsOfMostRated([[6], [], [9, 1]], 5, null)))).toEqual([1, 6]);
  // With a query's keystrokes a movie counts, but only its titles sharing one are returned.
  expect(held(mem, mem.visibleTermsOfMostRated([[7, 5]], 1, null, keystrokeSet('용서'))).map((t) => `${t.movieId}:${t.field}`)).toEqual(['5:name']);
  expect(held(mem, mem.visibleTermsOfMostRated([[7, 6]], 1, null, keystrokeSet('용서'))).map((t) => `${t.movieId}:${t.field}`)).toEqual(['7:name']);
  // A refreshed movie is ordered by its new rating count; a removed one is gone.
  mem.replace(6, [term(6, '용서 6', 1000)]);
  mem.replace(5, []);
  expect(ids(held(mem, mem.visibleTermsOfMostRated([[1, 2, 3, 4, 5, 6, 7]], 2, null)))).toEqual([2, 6]);
});

it('visibleTermsOfMostRated agrees with sorting by rating count then id, on random lists', async () => {
  const rnd = seeded(5);
  const terms = Array.from({ length: 400 }, (_, k) => term(k + 1, `영화 ${k}`, Math.floor(rnd() * 20), rnd() < 0.2 ? '청소년 관람불가' : null));
  const mem = new TitleMemory();
  await mem.load(terms);
  const rating = new Map(terms.map((t) => [t.movieId, t.popularity]));
  const grades: WatchGrade[] = ['12세 관람가'];
  const visible = new Set(terms.filter((t) => isGradeVisible(t.watchGrade, grades)).map((t) => t.movieId));
  for (let k = 0; k < 50; k++) {
    const lists = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => [...new Set(Array.from({ length: Math.floor(rnd() * 150) }, () => 1 + Math.floor(rnd() * 420)))].sort((a, b) => a - b));
    const limit = 1 + Math.floor(rnd() * 120);
    const want: number[] = [];
    for (const list of lists) {
      const best = list.filter((id) => visible.has(id)).sort((a, b) => rating.get(b)! - rating.get(a)! || a - b);
      want.push(...best.slice(0, limit - want.length));
      if (want.length >= limit) break;
    }
    expect(held(mem, mem.visibleTermsOfMostRated(lists, limit, grades)).map((t) => t.movieId)).toEqual(want.sort((a, b) => a - b));
  }
});

it('nthHighest is the value at that index of the values sorted descending', () => {
  const rnd = seeded(3);
  for (let k = 0; k < 300; k++) {
    const values = Float64Array.from({ length: 1 + Math.floor(rnd() * 80) }, () => Math.floor(rnd() * 10));
    const at = Math.floor(rnd() * values.length);
    const want = [...values].sort((a, b) => b - a)[at];
    expect(nthHighest(values.slice(), at)).toBe(want);
  }
});

it('firstBy selects what sorting and cutting would, in some order', () => {
  const rnd = seeded(11);
  const cmp = (a: [number, number], b: [number, number]) => a[0] - b[0] || a[1] - b[1];
  for (let k = 0; k < 300; k++) {
    const n = Math.floor(rnd() * 60);
    // Few distinct first keys (ties), a unique second: a total order.
    const items = Array.from({ length: n }, (_, i): [number, number] => [Math.floor(rnd() * 5), i]);
    const limit = Math.floor(rnd() * (n + 3));
    const want = [...items].sort(cmp).slice(0, limit);
    const got = firstBy([...items], limit, cmp);
    expect([...got].sort(cmp)).toEqual(want);
  }
  // Sorted and reversed input (the median of three keeps them linear).
  const asc = Array.from({ length: 1000 }, (_, i): [number, number] => [i, 0]);
  expect(firstBy([...asc], 10, cmp).sort(cmp)).toEqual(asc.slice(0, 10));
  expect(firstBy([...asc].reverse(), 10, cmp).sort(cmp)).toEqual(asc.slice(0, 10));
});

it('a walk hands out a range in bestFirst order (as long as the query, most rated, id, field), across its batches and after replaces', async () => {
  const rnd = seeded(17);
  const syllables = [...'사랑전쟁서울신과함께'];
  const title = () => Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => syllables[Math.floor(rnd() * syllables.length)]).join('');
  const grades: Array<WatchGrade | null> = [null, '전체 관람가', '청소년 관람불가'];
  const make = (id: number) => {
    const popularity = Math.floor(rnd() * 6);
    const g = grades[Math.floor(rnd() * grades.length)]!;
    return rnd() < 0.5 ? [term(id, title(), popularity, g)] : [term(id, title(), popularity, g), term(id, title(), popularity, g, 'name_eng')];
  };
  const mem = new TitleMemory();
  const want = new Map<number, MemoryTerm[]>();
  for (let id = 1; id <= 1500; id++) want.set(id, make(id));
  await mem.load([...want.values()].flat());
  // and movies replaced one by one afterwards (the columns beside the sorted terms move with them)
  for (let k = 0; k < 150; k++) {
    const id = 1 + Math.floor(rnd() * 1600);
    const next = rnd() < 0.2 ? [] : make(id);
    mem.replace(id, next);
    if (next.length) want.set(id, next);
    else want.delete(id);
  }
  const all = [...want.values()].flat();
  const order = (exactLength: number) => (a: MemoryTerm, b: MemoryTerm) => Number(a.len !== exactLength) - Number(b.len !== exactLength) || b.popularity - a.popularity || a.movieId - b.movieId || (a.field < b.field ? -1 : 1);
  const key = (t: MemoryTerm) => `${t.movieId}:${t.field}`;
  let longest = 0;
  for (const prefix of ['사', '사랑', '서', '신과', '전쟁사']) {
    for (const g of [null, ['전체 관람가' as WatchGrade]]) {
      const expected = all.filter((t) => t.norm.startsWith(prefix) && isGradeVisible(t.watchGrade, g)).sort(order(prefix.length + 1));
      const walk = mem.normRange(prefix, undefined, g, prefix.length + 1);
      expect(walk.size).toBe(expected.length);
      // in pieces of odd sizes, as a caller stopping and going on would take them
      const got: MemoryTerm[] = [];
      for (let n = 1; got.length < expected.length; n += 7) got.push(...held(mem, walk.take(n)));
      expect(walk.next()).toBe(-1);
      expect(got.map(key)).toEqual(expected.map(key));
      longest = Math.max(longest, expected.length);
    }
  }
  // several of the selection's batches were crossed
  expect(longest).toBeGreaterThan(200);
  // loaded again with fewer terms, the same memory answers from the new ones only
  const few = all.slice(0, 50);
  await mem.load(few);
  expect(held(mem, mem.normRange('사', undefined, null, 2).take(Infinity)).map(key)).toEqual(few.filter((t) => t.norm.startsWith('사')).sort(order(2)).map(key));
});

it('the term records hold what each held term is, through replaces that reuse slots and reclaim dead text', async () => {
  const rnd = seeded(21);
  const syllables = [...'신과함께기생충사랑전쟁서울', 'ab', '😀'];
  const title = () => Array.from({ length: 1 + Math.floor(rnd() * 9) }, () => syllables[Math.floor(rnd() * syllables.length)]).join('');
  const grades: Array<WatchGrade | null> = [null, '전체 관람가', '청소년 관람불가', '19금' as WatchGrade];
  const make = (id: number): MemoryTerm[] => {
    const terms = [term(id, title(), Math.floor(rnd() * 1e6), grades[Math.floor(rnd() * grades.length)]!)];
    if (rnd() < 0.5) terms.push(term(id, `${title()} x`, terms[0]!.popularity, terms[0]!.watchGrade, 'name_eng'));
    return terms;
  };
  const mem = new TitleMemory();
  const want = new Map<number, MemoryTerm[]>();
  for (let id = 1; id <= 300; id++) want.set(id, make(id));
  await mem.load([...want.values()].flat());
  const loadedUnits = mem.records.textUnits;
  let liveUnits = 0;
  for (let k = 0; k < 6000; k++) {
    const id = 1 + Math.floor(rnd() * 320);
    const next = rnd() < 0.1 ? [] : make(id);
    mem.replace(id, next);
    if (next.length) want.set(id, next);
    else want.delete(id);
  }
  // Every movie's terms, read back from their records (the bigrams as a fresh numbering of the same order gives them).
  const numbers = mem.numbers;
  const records = mem.records;
  const slots = new Set<number>();
  for (const [id, terms] of want) {
    const held = mem.termsOf(id);
    expect(held.map((t) => t.norm)).toEqual(terms.map((t) => t.norm));
    for (const t of held) {
      slots.add(t.slot);
      expect(records.term(t.slot)).toBe(t);
      expect(mem.slotOf(id, FIELD_ORDER.indexOf(t.field))).toBe(t.slot);
      expect(records.movieOf(t.slot)).toBe(id);
      expect(records.fieldOf(t.slot)).toBe(t.field);
      expect(records.gradeBitOf(t.slot)).toBe(t.gradeBit);
      expect(records.popularityOf(t.slot)).toBe(t.popularity);
      expect(records.charsOf(t.slot)).toBe(charLength(t.norm));
      expect(records.meets(t.slot, keystrokeSet(t.norm))).toBe(t.norm !== '');
      const norm = records.text.subarray(records.normAt(t.slot), records.normAt(t.slot) + records.normUnits(t.slot));
      expect(String.fromCharCode(...norm)).toBe(t.norm);
      const count = records.bigramCount(t.slot);
      expect(count).not.toBe(NOT_NUMBERED);
      expect(String.fromCharCode(...records.text.subarray(records.bigramsAt(t.slot), records.bigramsAt(t.slot) + count))).toBe(numbers.encode(t.norm));
      liveUnits += 3 + t.norm.length + count;
    }
    for (let field = 0; field < FIELD_ORDER.length; field++) if (!held.some((t) => t.field === FIELD_ORDER[field])) expect(mem.slotOf(id, field)).toBe(-1);
  }
  for (let id = 1; id <= 320; id++) if (!want.has(id)) for (let field = 0; field < FIELD_ORDER.length; field++) expect(mem.slotOf(id, field)).toBe(-1);
  // A round of marks counts each slot once; the next round starts afresh.
  const some = [...slots].slice(0, 20);
  records.newRound();
  expect(some.map((slot) => records.mark(slot))).toEqual(some.map(() => true));
  expect(some.map((slot) => records.mark(slot))).toEqual(some.map(() => false));
  records.newRound();
  expect(records.mark(some[0]!)).toBe(true);
  // Freed slots were reused (about as many slots as terms live), and the dead text of 6,000 replaces was reclaimed.
  expect(Math.max(...slots)).toBeLessThan(1.2 * [...want.values()].flat().length);
  expect(records.textUnits).toBeLessThan(4 * Math.max(liveUnits, loadedUnits));
  expect(records.text.length).toBeLessThanOrEqual(Math.max(1 << 14, 2 * liveUnits));
});

it('a term whose bigrams the numbering cannot take is scored from its text', async () => {
  const mem = new TitleMemory();
  // Fill the numbering first (as 65,535 distinct bigrams would).
  for (let c = 0; mem.numbers.size < 0xffff; c++) mem.numbers.encode(String.fromCodePoint(0x4e00 + (c >> 8), 0x4e00 + (c & 0xff)));
  mem.replace(1, [term(1, 'zq 새 제목', 3)]);
  const [t] = mem.termsOf(1);
  expect(mem.records.bigramCount(t!.slot)).toBe(NOT_NUMBERED);
  expect(mem.records.normUnits(t!.slot)).toBe(t!.norm.length);
  expect(new BigramNumbers().encode(t!.norm)).not.toBeNull();
});

it('a memory loaded empty, or small, takes movies one by one: each is found and held exactly, across the text’s moves', async () => {
  for (const initial of [0, 1, 40]) {
    const mem = new TitleMemory();
    await mem.load(Array.from({ length: initial }, (_, k) => term(k + 1, `영화 ${k + 1}`, k)));
    for (let id = initial + 1; id <= initial + 700; id++) {
      // new movies, and every third one replaced again (dead text, freed slots)
      mem.replace(id, [term(id, `Clusterold${id.toString(36)} 새 영화 ${id}`, id % 50)]);
      if (id % 3 === 0) mem.replace(id - 1, [term(id - 1, `Renamed ${id - 1}`, 7, null), term(id - 1, `renamed english ${id - 1}`, 7, null, 'name_eng')]);
    }
    const records = mem.records;
    for (let id = initial + 1; id <= initial + 700; id++)
      for (const t of mem.termsOf(id)) {
        const norm = records.text.subarray(records.normAt(t.slot), records.normAt(t.slot) + records.normUnits(t.slot));
        expect(String.fromCharCode(...norm)).toBe(t.norm);
        expect(records.movieOf(t.slot)).toBe(id);
        expect(held(mem, mem.normRange(t.norm, undefined, null).take(Infinity)).map((x) => x.movieId)).toContain(id);
      }
  }
});
