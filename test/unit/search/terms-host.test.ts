// Where the search's terms are held (src/modules/search/terms-host.ts): the thread answers as the
// caller's thread does, a change sent before a query is seen by it, a load keeps the movies
// refreshed after its rows were read, and a thread that dies fails its calls and tells its owner.
import { autocompleteTitles, searchIds } from '../../../src/modules/search/title-queries.js';
import { HeldTerms, InlineTerms, ThreadTerms, type TermsHost } from '../../../src/modules/search/terms-host.js';
import { TitleMemory, type MemoryTerm } from '../../../src/modules/search/title-memory.js';
import { charLength, choseong, normalise } from '../../../src/modules/search/text/index.js';
import type { WatchGrade } from '../../../src/modules/catalog/movie.entity.js';
import { seeded } from '../../support/random.js';

const term = (movieId: number, title: string, popularity: number, watchGrade: WatchGrade | null, field: 'name' | 'name_eng' = 'name'): MemoryTerm => {
  const norm = normalise(title);
  return { movieId, field, title, norm, choseong: choseong(norm), len: charLength(norm), popularity, watchGrade };
};

const WORDS = ['사랑', '기생충', '살인', '추억', '괴물', '달빛', '신과', '함께', '바다', '여름', 'love', 'night', 'star'];
const grades: Array<WatchGrade | null> = [null, '전체 관람가', '15세 관람가', '청소년 관람불가'];

function catalog(size: number, seed = 3): MemoryTerm[] {
  const rnd = seeded(seed);
  const pick = () => WORDS[Math.floor(rnd() * WORDS.length)]!;
  const terms: MemoryTerm[] = [];
  for (let id = 1; id <= size; id++) {
    const title = rnd() < 0.5 ? pick() + pick() : `${pick()} ${pick()}`;
    const g = grades[Math.floor(rnd() * grades.length)]!;
    const popularity = Math.floor(rnd() * 50);
    terms.push(term(id, title, popularity, g));
    if (rnd() < 0.3) terms.push(term(id, `${pick()} ${id}`, popularity, g, 'name_eng'));
  }
  return terms;
}

const QUERIES = ['사랑', '사랑 살인', '기새충', '괴물여름', 'ㄱㅅㅊ', '달', 'love star', 'nigt', '함께 바다', '추억 3'].map(normalise);
const VIEWERS: Array<readonly WatchGrade[] | null> = [null, ['전체 관람가'], ['전체 관람가', '15세 관람가']];

const hosts: Array<[string, () => TermsHost]> = [
  ['inline', () => new InlineTerms()],
  ['thread', () => new ThreadTerms()],
];

describe.each(hosts)('the %s host', (_, make) => {
  let host: TermsHost;
  beforeEach(() => {
    host = make();
  });
  afterEach(async () => {
    await host.close();
  });

  it('answers every query as the query functions do on a memory of the same rows', async () => {
    const rows = catalog(1500);
    const mem = new TitleMemory();
    await mem.load(rows);
    const summary = await host.load(rows, []);
    expect(summary).toEqual({ movies: mem.movies, terms: rows.length, sum: mem.checksum.sum });
    let found = 0;
    for (const q of QUERIES)
      for (const g of VIEWERS) {
        const ids = await host.search(q, g);
        expect(ids).toEqual(searchIds(mem, q, g));
        found += ids.matched.length + ids.similar.length;
        expect(await host.autocomplete(q, g)).toEqual(autocompleteTitles(mem, q, g));
      }
    // the queries find something (an empty host would pass the comparison above)
    expect(found).toBeGreaterThan(100);
  });

  it('a change sent before a query is seen by it, without waiting for the change to be acknowledged', async () => {
    await host.load(catalog(300), []);
    const q = normalise('초록빛 고래');
    expect((await host.search(q, null)).matched).toEqual([]);
    const changed = host.replace([[7, [term(7, '초록빛 고래', 1, null)]]]);
    const after = host.search(q, null);
    expect((await after).matched).toEqual([7]);
    expect((await changed).terms).toBeGreaterThan(0);
    // and gone again the same way
    void host.replace([[7, []]]);
    expect((await host.search(q, null)).matched).toEqual([]);
    // an age gate the movie's grade does not pass hides it
    void host.replace([[8, [term(8, '초록빛 고래', 1, '청소년 관람불가')]]]);
    expect((await host.search(q, ['전체 관람가'])).matched).toEqual([]);
    expect((await host.search(q, null)).matched).toEqual([8]);
  });

  it('a load keeps the movies named in `keep` and those replaced after it was asked for; queries meanwhile answer from the terms it replaces', async () => {
    const old = catalog(200, 9);
    await host.load(old, []);
    const q = normalise('초록빛 고래');
    // Movie 5 was refreshed before the load was sent (keep), movie 6 after it (a replace while it runs).
    await host.replace([[5, [term(5, '초록빛 고래', 3, null)]]]);
    // The full read's rows: 4000 movies (it yields while it builds), movie 5 and 6 as they were before.
    const rows = catalog(4000, 10);
    const loading = host.load(rows, [5]);
    const during = host.search(q, null);
    void host.replace([[6, [term(6, '초록빛 고래', 2, null)]]]);
    const summary = await loading;
    // The query sent while the load ran saw the old terms (with movie 5 refreshed).
    expect((await during).matched).toEqual([5]);
    expect((await host.search(q, null)).matched).toEqual([5, 6]);
    const mem = new TitleMemory();
    await mem.load(rows);
    mem.replace(5, [term(5, '초록빛 고래', 3, null)]);
    mem.replace(6, [term(6, '초록빛 고래', 2, null)]);
    expect(summary).toEqual({ movies: mem.movies, terms: mem.checksum.terms, sum: mem.checksum.sum });
    expect(await host.search(normalise('사랑 살인'), null)).toEqual(searchIds(mem, normalise('사랑 살인'), null));
  });
});

it('loads apply in the order they were asked for, each keeping what was replaced after it was asked for', async () => {
  const held = new HeldTerms();
  const a = held.load(catalog(3000, 1), []);
  const b = held.load(catalog(100, 2), []);
  held.replace([[9999, [term(9999, '초록빛 고래', 1, null)]]]);
  await a;
  await b;
  const mem = new TitleMemory();
  await mem.load(catalog(100, 2));
  expect(held.summary().movies).toBe(mem.movies + 1);
  expect(held.search(normalise('초록빛 고래'), null).matched).toEqual([9999]);
});

it('a thread that dies fails the calls waiting for it and those after, and tells its owner once', async () => {
  const lost: Error[] = [];
  const host = new ThreadTerms((err) => lost.push(err));
  await host.load(catalog(100), []);
  // A call surely still running when the thread ends: a load of 30k movies takes the thread a second or more.
  const waiting = host.load(catalog(30_000), []);
  // What an out-of-memory or a crash in the thread does: the thread ends.
  await (host as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
  await expect(waiting).rejects.toThrow(/search thread/);
  await expect(host.search(normalise('사랑'), null)).rejects.toThrow(/search thread/);
  expect(lost).toHaveLength(1);
});
