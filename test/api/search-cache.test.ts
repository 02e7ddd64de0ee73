// The movie search's result cache (live MariaDB/Redis): cached and uncached answers are equal; a
// create, rename, delete, regrade or rating is visible at once in the same process; a cached
// answer is never served to a viewer with other visible grades (age gate); another instance — as
// another replica, which does not see this one's writes — lags at most the TTL (injected clock).
import request from 'supertest';
import type { Express } from 'express';
import { Genre } from '../../src/modules/catalog/genre.entity.js';
import { Movie, type WatchGrade } from '../../src/modules/catalog/movie.entity.js';
import { MovieSearchService } from '../../src/modules/search/movie-search.service.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { birthDateYearsAgo, verifyAge } from '../support/age.js';
import { createStaff, signupAndLogin } from '../support/users.js';

let ctx: TestContext & { app: Express };
let genre: Genre;
let catalogToken: string;
let adultToken: string;
let unverifiedToken: string;
const auth = (token: string) => ({ Authorization: `JWT ${token}` });
const ids: Record<string, number> = {};

async function movie(name: string, opts: { nameEng?: string | null; ratings?: number; grade?: WatchGrade | null } = {}): Promise<number> {
  const view = await ctx.rt.services.catalog.createMovie(
    { name, nameEng: opts.nameEng ?? null, watchGrade: opts.grade === undefined ? '12세 관람가' : opts.grade, runningTime: 120, poster: null, genreIds: [genre.id] },
    null,
  );
  if (opts.ratings) await ctx.rt.ds.transaction((m) => ctx.rt.services.catalog.adjustRatingCounters(m, view.movie.id, opts.ratings!, opts.ratings! * 8));
  return view.movie.id;
}

const autocomplete = (words: string, token?: string) => {
  const r = request(ctx.app).get('/search/movie/').query({ words });
  return token ? r.set(auth(token)) : r;
};
const search = (words: string, token?: string) => {
  const r = request(ctx.app).get(`/search/movie/${encodeURIComponent(words)}/`);
  return token ? r.set(auth(token)) : r;
};
const names = (items: Array<{ name: string }>) => items.map((m) => m.name);
const cache = () => ctx.rt.services.movieSearch.cache;

beforeAll(async () => {
  ctx = await createTestApp();
  genre = await ctx.rt.ds.getRepository(Genre).save({ name: '판타지' });
  const staff = await createStaff(ctx.rt, 'catalog');
  catalogToken = (await request(ctx.app).post('/user/login/').send({ username: staff.user.username, password: staff.password }).expect(200)).body.token;
  adultToken = (await signupAndLogin(ctx.app)).token;
  expect((await verifyAge(ctx.app, ctx.config, adultToken, birthDateYearsAgo(30))).body).toEqual({ status: 'verified' });
  unverifiedToken = (await signupAndLogin(ctx.app)).token;
  ids.twoWorlds = await movie('신과함께-죄와 벌', { nameEng: 'Along with the Gods: The Two Worlds', ratings: 100 });
  ids.lastDays = await movie('신과함께-인과 연', { nameEng: 'Along with the Gods: The Last 49 Days', ratings: 50 });
  ids.exact = await movie('신과 함께', { ratings: 1 });
  ids.contains = await movie('그리고 신과함께', { ratings: 500 });
  ids.wind = await movie('바람과 함께 사라지다', { nameEng: 'Gone with the Wind', ratings: 70 });
  ids.adult = await movie('신과함께 외전', { grade: '청소년 관람불가', ratings: 1000 });
  ids.stone = await movie('해리 포터와 마법사의 돌', { nameEng: "Harry Potter and the Sorcerer's Stone", ratings: 30 });
  ids.matrix = await movie('매트릭스', { nameEng: 'The Matrix', ratings: 40 });
});
afterAll(async () => {
  await ctx?.close();
});

describe('search result cache', () => {
  it('is on by default (SEARCH_CACHE_TTL 30 s, SEARCH_CACHE_SIZE 5000)', () => {
    expect(ctx.config.searchCache).toEqual({ ttlMs: 30_000, maxEntries: 5000 });
    expect(cache().enabled).toBe(true);
  });

  it('answers the same as an uncached service holding its terms on the event loop, and serves repeats from the cache', async () => {
    // The runtime's service holds its terms in the search thread (SEARCH_THREAD's default); this one inline.
    expect(ctx.config.searchThread).toBe(true);
    const uncached = new MovieSearchService(ctx.rt.ds, ctx.rt.services.catalog, { cache: { ttlMs: 0 }, host: 'inline' });
    const queries = ['신과 함께', '신과함께', 'ㅅㄱㅎㄲ', '신과하', '신ㄱ', '신가함께', 'harry', 'hary poter', 'the', '함께', '매', 'xyz없음'];
    for (const grades of [null, [] as WatchGrade[], ['전체 관람가', '12세 관람가', '15세 관람가'] as WatchGrade[]]) {
      for (const q of queries) {
        const want = { auto: await uncached.autocomplete(q, grades), full: await uncached.search(q, grades) };
        expect({ auto: await ctx.rt.services.movieSearch.autocomplete(q, grades), full: await ctx.rt.services.movieSearch.search(q, grades) }).toEqual(want); // computed (or cached by a query typed the same)
        const hits = cache().hits;
        expect({ auto: await ctx.rt.services.movieSearch.autocomplete(q, grades), full: await ctx.rt.services.movieSearch.search(q, grades) }).toEqual(want); // cached
        expect(cache().hits).toBe(hits + 2);
      }
    }
    // The same words typed differently share an entry (the key is the normalised query).
    const hits = cache().hits;
    await ctx.rt.services.movieSearch.search('신과  함께!', null);
    expect(cache().hits).toBe(hits + 1);
  });

  it('the full search answer: JSON of its shape, Content-Length its UTF-8 bytes, an ETag kept for the same answer and new when a card in it changes, 304 on a match', async () => {
    const get = async () => {
      cache().clear(); // computed again: a new answer object, its text, length and ETag made anew
      return search('매트릭스').expect(200);
    };
    const first = await get();
    expect(first.body.search_result.map((m: { id: number }) => m.id)).toEqual([ids.matrix]);
    expect(first.text).toBe(JSON.stringify(first.body));
    expect(Number(first.headers['content-length'])).toBe(Buffer.byteLength(first.text, 'utf8'));
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/);
    expect((await get()).headers.etag).toBe(etag);
    await search('매트릭스').set('If-None-Match', etag).expect(304);
    // The same movies found, one card's text changed (its running time): a new ETag.
    await ctx.rt.services.catalog.updateMovie(ids.matrix, { name: '매트릭스', nameEng: 'The Matrix', watchGrade: '12세 관람가', runningTime: 136 }, null);
    const changed = await get();
    expect(changed.body.search_result.map((m: { id: number; running_time: string }) => [m.id, m.running_time])).toEqual([[ids.matrix, '136분']]);
    expect(changed.headers.etag).not.toBe(etag);
    expect(Number(changed.headers['content-length'])).toBe(Buffer.byteLength(changed.text, 'utf8'));
    await search('매트릭스').set('If-None-Match', etag).expect(200);
  });

  it('a search thread that dies is replaced: the next search loads the terms into a new one and answers', async () => {
    const errors: unknown[] = [];
    const own = new MovieSearchService(ctx.rt.ds, ctx.rt.services.catalog, { cache: { ttlMs: 0 }, onError: (err) => errors.push(err) });
    try {
      const want = await own.search('신과 함께', null);
      expect(want.searchResult.length).toBeGreaterThan(0);
      const reads = own.fullReads;
      // What a crash in the thread does: it ends (terms-host.ts ThreadTerms).
      await (own as unknown as { host: { worker: { terminate(): Promise<number> } } }).host.worker.terminate();
      expect(errors).toHaveLength(1);
      expect(await own.search('신과 함께', null)).toEqual(want);
      expect(own.fullReads).toBe(reads + 1);
    } finally {
      await own.close();
    }
  });

  it('a create and a rename through the API, and a delete, are visible at once', async () => {
    expect((await autocomplete('캐시 테스트').expect(200)).body).toEqual([]);
    expect((await search('캐시테스트').expect(200)).body.search_result).toEqual([]);
    const created = await request(ctx.app).post(`/movie/genres/${genre.id}/movies/`).set(auth(catalogToken)).send({ name: '캐시 테스트 영화', watch_grade: '12세 관람가' }).expect(201);
    const id = created.body.id as number;
    expect((await autocomplete('캐시 테스트').expect(200)).body).toEqual(['캐시 테스트 영화']);
    expect(names((await search('캐시테스트').expect(200)).body.search_result)).toEqual(['캐시 테스트 영화']);

    await request(ctx.app).put(`/movie/genres/${genre.id}/movies/${id}/`).set(auth(catalogToken)).send({ name: '이름 바뀐 영화', watch_grade: '12세 관람가' }).expect(200);
    expect((await autocomplete('캐시 테스트').expect(200)).body).toEqual([]);
    expect(names((await search('캐시테스트').expect(200)).body.search_result)).toEqual([]);
    expect((await autocomplete('이름 바뀐').expect(200)).body).toEqual(['이름 바뀐 영화']);

    await ctx.rt.services.catalog.deleteMovie(id, null);
    expect((await autocomplete('이름 바뀐').expect(200)).body).toEqual([]);
    expect((await search('이름바뀐').expect(200)).body.search_result).toEqual([]);
  });

  it('a rating reorders equally relevant titles at once (the rating count moves the index in its transaction)', async () => {
    const order = ['신과 함께', '신과함께-죄와 벌', '신과함께-인과 연', '그리고 신과함께'];
    expect(names((await search('신과함께').expect(200)).body.search_result)).toEqual(order);
    await ctx.rt.ds.transaction((m) => ctx.rt.services.catalog.adjustRatingCounters(m, ids.lastDays, 60, 480));
    expect(names((await search('신과함께').expect(200)).body.search_result)).toEqual(['신과 함께', '신과함께-인과 연', '신과함께-죄와 벌', '그리고 신과함께']);
    await ctx.rt.ds.transaction((m) => ctx.rt.services.catalog.adjustRatingCounters(m, ids.lastDays, -60, -480));
    expect(names((await search('신과함께').expect(200)).body.search_result)).toEqual(order);
  });

  it('never serves an age-restricted title to a viewer who may not see it, whichever viewer was cached first', async () => {
    // The adult's answer cached first…
    expect((await autocomplete('신과함께', adultToken).expect(200)).body).toContain('신과함께 외전');
    expect(names((await search('신과함께', adultToken).expect(200)).body.search_result)).toContain('신과함께 외전');
    // …is not what an anonymous or unverified viewer gets.
    for (const token of [undefined, unverifiedToken]) {
      expect((await autocomplete('신과함께', token).expect(200)).body).not.toContain('신과함께 외전');
      expect(names((await search('신과함께', token).expect(200)).body.search_result)).not.toContain('신과함께 외전');
    }
    // The other way round: the anonymous answer cached, the adult still sees the title.
    expect((await autocomplete('신과함께외', undefined).expect(200)).body).toEqual([]);
    expect((await autocomplete('신과함께외', adultToken).expect(200)).body).toEqual(['신과함께 외전']);
    expect((await autocomplete('신과함께외', undefined).expect(200)).body).toEqual([]);
  });

  it('a regrade is visible at once: a title becoming 청소년 관람불가 leaves the anonymous answer', async () => {
    expect(names((await search('매트릭스').expect(200)).body.search_result)).toEqual(['매트릭스']);
    await ctx.rt.services.catalog.updateMovie(ids.matrix, { name: '매트릭스', nameEng: 'The Matrix', watchGrade: '청소년 관람불가' }, null);
    expect(names((await search('매트릭스').expect(200)).body.search_result)).toEqual([]);
    expect(names((await search('매트릭스', adultToken).expect(200)).body.search_result)).toEqual(['매트릭스']);
  });

  it('another instance (as another replica that lost the message: it does not hear these writes) serves its answer until its bounds, then the new one', async () => {
    let clock = 1_000_000;
    const replica = new MovieSearchService(ctx.rt.ds, ctx.rt.services.catalog, { cache: { ttlMs: 30_000, maxEntries: 100, now: () => clock }, memoryMaxAgeMs: 30_000 });
    expect(await replica.autocomplete('해리 포터', null)).toEqual(['해리 포터와 마법사의 돌']);
    await ctx.rt.services.catalog.updateMovie(ids.stone, { name: '해리 포터와 불의 잔', nameEng: "Harry Potter and the Sorcerer's Stone", watchGrade: '12세 관람가' }, null);
    // This process: at once.
    expect((await autocomplete('해리 포터').expect(200)).body).toEqual(['해리 포터와 불의 잔']);
    // The other one: its cached answer until the TTL is over.
    clock += 29_999;
    expect(await replica.autocomplete('해리 포터', null)).toEqual(['해리 포터와 마법사의 돌']);
    clock += 1;
    // The bound passed: the next query starts a full read in the background and answers from what it holds until it lands.
    await replica.autocomplete('해리 포터', null);
    const t0 = Date.now();
    while ((await replica.autocomplete('해리 포터', null))[0] !== '해리 포터와 불의 잔') {
      expect(Date.now() - t0).toBeLessThan(2000);
      await new Promise((r) => setTimeout(r, 10));
    }
  });

  it('past its bounds, a process reads the whole table again only when it differs from the terms held (and keeps its cached answers otherwise)', async () => {
    let clock = 5_000_000;
    const replica = new MovieSearchService(ctx.rt.ds, ctx.rt.services.catalog, { cache: { ttlMs: 600_000, maxEntries: 100, now: () => clock }, memoryMaxAgeMs: 30_000 });
    const first = await replica.autocomplete('해리 포터', null);
    expect(replica.fullReads).toBe(1);
    expect(await replica.heldMatchesTable()).toBe(true);
    // Past the bound, nothing changed: the next computed answer starts a check; nothing is read again
    // and the cached answer stays.
    clock += 30_000;
    const hits = replica.cache.hits;
    await replica.autocomplete('해리', null);
    await replica.checking;
    expect(replica.fullReads).toBe(1);
    expect(await replica.autocomplete('해리 포터', null)).toBe(first);
    expect(replica.cache.hits).toBe(hits + 1);
    // Within the new bound: not even checked.
    clock += 29_999;
    await replica.autocomplete('포터', null);
    expect(replica.checking).toBeNull();
    // A rating count changed behind the service's back: past the bound, read again (and the cache cleared).
    const [term] = (await ctx.rt.ds.query("SELECT movie_id AS id FROM movie_search_terms WHERE norm LIKE '해리포터%' LIMIT 1")) as Array<{ id: number }>;
    await ctx.rt.ds.query('UPDATE movie_search_terms SET popularity = popularity + 1 WHERE movie_id = ?', [term!.id]);
    expect(await replica.heldMatchesTable()).toBe(false);
    clock += 1;
    await replica.autocomplete('해리포', null);
    await replica.checking;
    expect(replica.fullReads).toBe(2);
    expect(await replica.heldMatchesTable()).toBe(true);
    expect(await replica.autocomplete('해리 포터', null)).not.toBe(first);
    await ctx.rt.ds.query('UPDATE movie_search_terms SET popularity = popularity - 1 WHERE movie_id = ?', [term!.id]);
  });

  it('an answer computed while a write is open is not served after its commit; a rollback leaves the answers as they were', async () => {
    const rename = (m: import('typeorm').EntityManager, name: string) =>
      m.update(Movie, { id: ids.wind }, { name }).then(() => ctx.rt.services.movieSearch.upsert(m, [{ id: ids.wind, name, nameEng: 'Gone with the Wind', watchGrade: '12세 관람가', ratingCount: 70 }]));
    expect((await autocomplete('바람과').expect(200)).body).toEqual(['바람과 함께 사라지다']);
    await expect(
      ctx.rt.ds.transaction(async (m) => {
        await rename(m, '바람 없이');
        // Another connection reads the committed (old) rows while the write is open.
        expect((await autocomplete('바람과').expect(200)).body).toEqual(['바람과 함께 사라지다']);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect((await autocomplete('바람과').expect(200)).body).toEqual(['바람과 함께 사라지다']);

    await ctx.rt.ds.transaction(async (m) => {
      await rename(m, '바람 없이');
      const hits = cache().hits;
      expect((await autocomplete('바람과').expect(200)).body).toEqual(['바람과 함께 사라지다']);
      expect((await autocomplete('바람과').expect(200)).body).toEqual(['바람과 함께 사라지다']);
      expect(cache().hits).toBe(hits + 1); // served from the cache meanwhile
    });
    expect((await autocomplete('바람과').expect(200)).body).toEqual([]);
    expect((await autocomplete('바람').expect(200)).body).toEqual(['바람 없이']);
  });
});
