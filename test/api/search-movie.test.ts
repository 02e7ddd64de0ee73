// Seed 004 "Search" movie search against live MariaDB/Redis: autocomplete (search/movie/?words=)
// and the full search (search/movie/{words}/) with search_result and a disjoint similar_result.
// Matching: case/space insensitive, 초성 (double consonants, mixed input), English titles, typos
// in similar_result; ranking exact → prefix → contains → similar, ties by rating count then id.
// The index stays in sync with the catalog: create, rename, delete (API and catalog service), the
// MovieLens import, the rebuild and its job; the age gate hides 청소년 관람불가 from unverified viewers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { runProcessor } from '../../jobs/processors.js';
import { Genre } from '../../src/modules/catalog/genre.entity.js';
import { Movie, type WatchGrade } from '../../src/modules/catalog/movie.entity.js';
import { MovieSearchTerm } from '../../src/modules/search/movie-search.entities.js';
import { MovieSearchService } from '../../src/modules/search/movie-search.service.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { birthDateYearsAgo, verifyAge } from '../support/age.js';
import { createStaff, signupAndLogin } from '../support/users.js';

let ctx: TestContext & { app: Express };
let genre: Genre;
let catalogToken: string;
let adultToken: string;
const repo = <T extends object>(e: new () => T) => ctx.rt.ds.getRepository(e);
const auth = (token: string) => ({ Authorization: `JWT ${token}` });
const jobCtx = { progress: async () => {}, log: async () => {} };

/** A movie through the catalog service (as the API and the panel create them), with a rating count. */
async function movie(name: string, opts: { nameEng?: string | null; ratings?: number; grade?: WatchGrade | null; runningTime?: number } = {}): Promise<number> {
  const view = await ctx.rt.services.catalog.createMovie(
    { name, nameEng: opts.nameEng ?? null, watchGrade: opts.grade === undefined ? '12세 관람가' : opts.grade, runningTime: opts.runningTime ?? 120, poster: `https://img.example.com/${encodeURIComponent(name)}.jpg`, genreIds: [genre.id] },
    null,
    
  );
  // The ratings service's way of moving the counters (the index follows in the same transaction).
  if (opts.ratings) await ctx.rt.ds.transaction((m) => ctx.rt.services.catalog.adjustRatingCounters(m, view.movie.id, opts.ratings!, opts.ratings! * 8));
  return view.movie.id;
}

const ids: Record<string, number> = {};
const autocomplete = (words: string, token?: string) => {
  const r = request(ctx.app).get('/search/movie/').query({ words });
  return token ? r.set(auth(token)) : r;
};
const search = (words: string, token?: string) => {
  const r = request(ctx.app).get(`/search/movie/${encodeURIComponent(words)}/`);
  return token ? r.set(auth(token)) : r;
};
const names = (items: Array<{ name: string }>) => items.map((m) => m.name);

beforeAll(async () => {
  ctx = await createTestApp();
  genre = await repo(Genre).save({ name: '판타지' });
  const staff = await createStaff(ctx.rt, 'catalog');
  catalogToken = (await request(ctx.app).post('/user/login/').send({ username: staff.user.username, password: staff.password }).expect(200)).body.token;
  adultToken = (await signupAndLogin(ctx.app)).token;
  expect((await verifyAge(ctx.app, ctx.config, adultToken, birthDateYearsAgo(30))).body).toEqual({ status: 'verified' });

  ids.twoWorlds = await movie('신과함께-죄와 벌', { nameEng: 'Along with the Gods: The Two Worlds', ratings: 100, runningTime: 139 });
  ids.lastDays = await movie('신과함께-인과 연', { nameEng: 'Along with the Gods: The Last 49 Days', ratings: 50, runningTime: 141 });
  ids.exact = await movie('신과 함께', { ratings: 1 });
  ids.contains = await movie('그리고 신과함께', { ratings: 500 });
  ids.wind = await movie('바람과 함께 사라지다', { nameEng: 'Gone with the Wind', ratings: 70, runningTime: 222 });
  ids.adult = await movie('신과함께 외전', { grade: '청소년 관람불가', ratings: 1000 });
  ids.stone = await movie('해리 포터와 마법사의 돌', { nameEng: "Harry Potter and the Sorcerer's Stone", ratings: 30 });
  ids.chamber = await movie('해리 포터와 비밀의 방', { nameEng: 'Harry Potter and the Chamber of Secrets', ratings: 30 });
  ids.fight = await movie('싸움의 기술', { nameEng: 'The Art of Fighting', ratings: 5 });
  ids.matrix = await movie('매트릭스', { nameEng: 'The Matrix', ratings: 40 });
  for (let k = 1; k <= 12; k++) await movie(`테스트 영화 ${String(k).padStart(2, '0')}`, { ratings: k });
});
afterAll(async () => {
  await ctx?.close();
});

describe('GET search/movie/?words= (autocomplete)', () => {
  it('answers titles, exact first, then prefix by rating count, then contains — case and space insensitive', async () => {
    const res = await autocomplete('신과 함께').expect(200);
    expect(res.body).toEqual(['신과 함께', '신과함께-죄와 벌', '신과함께-인과 연', '그리고 신과함께']);
    expect((await autocomplete('신과함께').expect(200)).body).toEqual(res.body);
  });

  it('completes a syllable still being typed, and 초성 and mixed input', async () => {
    // Unfinished: every 신과함… is a prefix match (none is exact), by rating count; then contains.
    expect((await autocomplete('신과하')).body).toEqual(['신과함께-죄와 벌', '신과함께-인과 연', '신과 함께', '그리고 신과함께']);
    expect((await autocomplete('해리포')).body).toEqual(['해리 포터와 마법사의 돌', '해리 포터와 비밀의 방']);
    expect((await autocomplete('ㅅㄱㅎㄲ')).body).toEqual(['신과 함께', '신과함께-죄와 벌', '신과함께-인과 연']);
    // Mixed input: 신 then any syllable starting with ㄱ — prefix by rating count, then contains.
    expect((await autocomplete('신ㄱ')).body).toEqual(['신과함께-죄와 벌', '신과함께-인과 연', '신과 함께', '그리고 신과함께']);
    // ㅆ is its own initial: ㅅ does not find 싸움.
    expect((await autocomplete('ㅆㅇ')).body).toEqual(['싸움의 기술']);
    expect((await autocomplete('ㅅㅇ')).body).toEqual([]);
  });

  it('matches English titles and answers the matching title', async () => {
    expect((await autocomplete('harry potter')).body).toEqual(["Harry Potter and the Sorcerer's Stone", 'Harry Potter and the Chamber of Secrets']);
    expect((await autocomplete('MATRIX')).body).toEqual(['The Matrix']);
  });

  it('sends at most 10 titles, the most rated first', async () => {
    const res = await autocomplete('테스트').expect(200);
    expect(res.body).toHaveLength(10);
    expect(res.body[0]).toBe('테스트 영화 12');
    expect(res.body[9]).toBe('테스트 영화 03');
  });

  it('answers [] when nothing matches or nothing searchable is left', async () => {
    expect((await autocomplete('존재하지않는제목').expect(200)).body).toEqual([]);
    expect((await autocomplete('!!!').expect(200)).body).toEqual([]);
  });

  it('400 for missing, blank or too long words', async () => {
    const missing = await request(ctx.app).get('/search/movie/').expect(400);
    expect(Object.keys(missing.body)).toEqual(['words']);
    expect((await autocomplete('   ').expect(400)).body).toEqual({ words: expect.any(Array) });
    expect((await autocomplete('가'.repeat(101)).expect(400)).body).toEqual({ words: expect.any(Array) });
  });

  it('hides 청소년 관람불가 titles from anonymous and unverified viewers, not from a verified adult', async () => {
    expect((await autocomplete('신과함께 외')).body).toEqual([]);
    expect((await autocomplete('신과함께 외', adultToken)).body).toEqual(['신과함께 외전']);
    expect((await autocomplete('신과함께 외', catalogToken)).body).toEqual(['신과함께 외전']);
  });
});

describe('GET search/movie/{words}/', () => {
  it('search_result: exact, prefix by rating count, contains; similar_result disjoint; the seed item shape', async () => {
    const res = await search('신과 함께').expect(200);
    expect(names(res.body.search_result)).toEqual(['신과 함께', '신과함께-죄와 벌', '신과함께-인과 연', '그리고 신과함께']);
    expect(names(res.body.similar_result)).toEqual(['바람과 함께 사라지다']);
    expect(res.body.meta).toEqual({ search_result: 4, similar_result: 1 });
    expect(res.body.search_result[1]).toEqual({
      id: ids.twoWorlds,
      name: '신과함께-죄와 벌',
      poster: `https://img.example.com/${encodeURIComponent('신과함께-죄와 벌')}.jpg`,
      genres: ['판타지'],
      running_time: '139분',
      watch_grade: '12세 관람가',
    });
    const searchIds = new Set(res.body.search_result.map((m: { id: number }) => m.id));
    for (const m of res.body.similar_result) expect(searchIds.has(m.id)).toBe(false);
  });

  it('takes percent-encoded Korean in the path (as the seed client sends it), with or without the slash', async () => {
    const encoded = '/search/movie/%EC%8B%A0%EA%B3%BC%ED%95%A8%EA%BB%98';
    const a = await request(ctx.app).get(`${encoded}/`).expect(200);
    const b = await request(ctx.app).get(encoded).expect(200);
    expect(names(a.body.search_result)).toEqual(['신과 함께', '신과함께-죄와 벌', '신과함께-인과 연', '그리고 신과함께']);
    expect(b.body).toEqual(a.body);
  });

  it('초성 and English titles', async () => {
    expect(names((await search('ㅅㄱㅎㄲ')).body.search_result)).toEqual(['신과 함께', '신과함께-죄와 벌', '신과함께-인과 연']);
    expect(names((await search('ㅎㄹ ㅍㅌ')).body.search_result)).toEqual(['해리 포터와 마법사의 돌', '해리 포터와 비밀의 방']);
    // Equal rating counts: the lower id first.
    expect((await search('Harry Potter')).body.search_result.map((m: { id: number }) => m.id)).toEqual([ids.stone, ids.chamber]);
    expect(names((await search('gods')).body.search_result)).toEqual(['신과함께-죄와 벌', '신과함께-인과 연']);
    expect(names((await search('gone with the wind')).body.search_result)).toEqual(['바람과 함께 사라지다']);
  });

  it('typos land in similar_result only', async () => {
    const korean = await search('신가함께').expect(200);
    expect(korean.body.search_result).toEqual([]);
    expect(names(korean.body.similar_result)).toEqual(expect.arrayContaining(['신과 함께', '신과함께-죄와 벌', '신과함께-인과 연']));
    // Most similar first: the title that is exactly the corrected query.
    expect(korean.body.similar_result[0].name).toBe('신과 함께');
    const english = await search('hary poter').expect(200);
    expect(english.body.search_result).toEqual([]);
    expect(names(english.body.similar_result)).toEqual(['해리 포터와 마법사의 돌', '해리 포터와 비밀의 방']);
    expect(names((await search('matrx')).body.similar_result)).toEqual(['매트릭스']);
  });

  it('caps similar_result and keeps the two lists disjoint when the query finds many', async () => {
    const res = await search('테스트 영화').expect(200);
    expect(res.body.search_result).toHaveLength(12);
    expect(res.body.search_result[0].name).toBe('테스트 영화 12');
    expect(res.body.similar_result).toEqual([]);
  });

  it('empty lists when nothing matches; 400 for blank or too long words', async () => {
    expect((await search('완전히다른무언가').expect(200)).body).toEqual({ meta: { search_result: 0, similar_result: 0 }, search_result: [], similar_result: [] });
    expect((await search('???').expect(200)).body.meta).toEqual({ search_result: 0, similar_result: 0 });
    expect((await request(ctx.app).get('/search/movie/%20%20/').expect(400)).body).toEqual({ words: expect.any(Array) });
    expect((await search('a'.repeat(101)).expect(400)).body).toEqual({ words: expect.any(Array) });
  });

  it('age gate: 청소년 관람불가 only for a verified adult', async () => {
    expect(names((await search('신과함께 외전')).body.search_result)).toEqual([]);
    expect(names((await search('신과함께 외전', adultToken)).body.search_result)).toEqual(['신과함께 외전']);
  });
});

describe('the index follows the catalog', () => {
  it('create, rename and delete through the public API and the catalog service', async () => {
    const created = await request(ctx.app)
      .post(`/movie/genres/${genre.id}/movies/`)
      .set(auth(catalogToken))
      .send({ name: '기생충', name_eng: 'Parasite', watch_grade: '15세 관람가', running_time: 132 })
      .expect(201);
    const id = created.body.id as number;
    expect((await autocomplete('기생')).body).toEqual(['기생충']);
    expect((await search('parasite')).body.search_result.map((m: { id: number }) => m.id)).toEqual([id]);
    // One syllable wrong: found through the title's deletion neighbourhood.
    expect((await search('기가충')).body.similar_result.map((m: { id: number }) => m.id)).toEqual([id]);

    await request(ctx.app).put(`/movie/genres/${genre.id}/movies/${id}/`).set(auth(catalogToken)).send({ name: '살인의 추억', name_eng: 'Memories of Murder', watch_grade: '15세 관람가' }).expect(200);
    expect((await autocomplete('기생')).body).toEqual([]);
    expect((await search('parasite')).body.search_result).toEqual([]);
    expect((await search('기가충')).body.similar_result).toEqual([]);
    expect((await search('살인의 추얼')).body.similar_result.map((m: { id: number }) => m.id)).toEqual([id]);
    expect((await autocomplete('ㅅㅇㅇ ㅊㅇ')).body).toEqual(['살인의 추억']);
    expect((await search('memories of murder')).body.search_result.map((m: { id: number }) => m.id)).toEqual([id]);

    // A regrade moves the movie behind the age gate at once.
    await ctx.rt.services.catalog.updateMovie(id, { name: '살인의 추억', watchGrade: '청소년 관람불가' }, null);
    expect((await autocomplete('살인의')).body).toEqual([]);
    expect((await autocomplete('살인의', adultToken)).body).toEqual(['살인의 추억']);

    await ctx.rt.services.catalog.deleteMovie(id, null);
    expect((await autocomplete('살인의', adultToken)).body).toEqual([]);
    expect(await repo(MovieSearchTerm).countBy({ movieId: id })).toBe(0);
  });

  it('a rating through the API reorders equally relevant titles at once', async () => {
    const first = await movie('동점 영화 가');
    const second = await movie('동점 영화 나');
    expect((await autocomplete('동점')).body).toEqual(['동점 영화 가', '동점 영화 나']); // tie: lower id first
    const member = (await signupAndLogin(ctx.app)).token;
    await request(ctx.app).post('/movie/rating/').set(auth(member)).send({ movie: String(second), score: 4.5, comment: '좋아요' }).expect(201);
    expect((await autocomplete('동점')).body).toEqual(['동점 영화 나', '동점 영화 가']);
    expect((await search('동점 영화')).body.search_result.map((m: { id: number }) => m.id)).toEqual([second, first]);
  });

  it('concurrent creates and renames all land in the index (no lost rows, no deadlock)', async () => {
    // Without genres: the catalog's own genre links (DELETE then INSERT) are another matter.
    const created = await Promise.all(
      Array.from({ length: 12 }, async (_, k) => (await ctx.rt.services.catalog.createMovie({ name: `동시 등록 ${k}`, nameEng: `Concurrent ${k}`, watchGrade: '12세 관람가' }, null)).movie.id),
    );
    await Promise.all(created.map((id, k) => ctx.rt.services.catalog.updateMovie(id, { name: `동시 수정 ${k}`, nameEng: `Renamed ${k}`, watchGrade: '12세 관람가' }, null)));
    expect((await autocomplete('동시 등록')).body).toEqual([]);
    const res = await search('동시 수정');
    expect(res.body.search_result.map((m: { id: number }) => m.id).sort((a: number, b: number) => a - b)).toEqual([...created].sort((a, b) => a - b));
  });

  it('a failed write leaves the index as it was (same transaction)', async () => {
    const id = await movie('올드보이', { nameEng: 'Oldboy' });
    // An unknown genre: the update is refused (400) and rolled back, the index with it.
    await request(ctx.app).put(`/movie/genres/${genre.id}/movies/${id}/`).set(auth(catalogToken)).send({ name: '아가씨', genres: [999_999] }).expect(400);
    expect((await autocomplete('올드')).body).toEqual(['올드보이']);
    expect((await autocomplete('아가씨')).body).toEqual([]);
  });

  it('the MovieLens import indexes new and renamed movies in its batches', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mq-search-ml-'));
    try {
      writeFileSync(path.join(dir, 'movies.csv'), 'movieId,title,genres\n901,Zyzzyva Returns (1999),Comedy\n902,Quokka Island (2001),Drama\n');
      await ctx.rt.services.catalogImport.importMovieLens(dir, { countRatings: false });
      expect((await autocomplete('zyzz')).body).toEqual(['Zyzzyva Returns']);
      writeFileSync(path.join(dir, 'movies.csv'), 'movieId,title,genres\n901,Zyzzyva Strikes Back (1999),Comedy\n902,Quokka Island (2001),Drama\n');
      await ctx.rt.services.catalogImport.importMovieLens(dir, { countRatings: false });
      expect((await autocomplete('zyzzyva')).body).toEqual(['Zyzzyva Strikes Back']);
      expect(names((await search('zyzzyva returns')).body.search_result)).toEqual([]);
      expect(names((await search('quokka')).body.search_result)).toEqual(['Quokka Island']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the terms in memory follow creates, renames and deletes exactly: the answers equal those of a process loading the table now', async () => {
    const id = await movie('빈도 테스트 영화', { nameEng: 'Frequency Test' });
    const queries = ['빈도', '빈도 시험', '시험', 'frequency', 'exam', 'test', '빈도테스트', 'ㅂㄷ', '빈도 시엄', '빈도시험2'];
    // Loaded before the writes (the first query), then refreshed by them.
    for (const q of queries) await ctx.rt.services.movieSearch.search(q, null);
    await ctx.rt.services.catalog.updateMovie(id, { name: '빈도 시험', nameEng: 'Frequency Exam' }, null);
    const other = await movie('빈도 시험 2');
    await ctx.rt.services.catalog.deleteMovie(other, null);
    await movie('빈도 시험 3', { nameEng: 'Frequency Test' });
    const fresh = new MovieSearchService(ctx.rt.ds, ctx.rt.services.catalog, { cache: { ttlMs: 0 } });
    for (const q of queries) {
      expect(await ctx.rt.services.movieSearch.search(q, null)).toEqual(await fresh.search(q, null));
      expect(await ctx.rt.services.movieSearch.autocomplete(q, null)).toEqual(await fresh.autocomplete(q, null));
    }
    expect((await autocomplete('빈도')).body.sort()).toEqual(['빈도 시험', '빈도 시험 3']);
    // The terms held kept the table's checksum through the writes (MariaDB's CRC32 of the joined columns, as in memory).
    expect(await ctx.rt.services.movieSearch.heldMatchesTable()).toBe(true);
    expect(await fresh.heldMatchesTable()).toBe(true);
  });

  it('rebuild (and the search.reindex job) restores a damaged index and fixes stale rows', async () => {
    const before = (await search('신과 함께')).body;
    await ctx.rt.ds.query('DELETE FROM movie_search_terms WHERE movie_id = ?', [ids.twoWorlds]);
    // A row edited behind the catalog's back.
    await repo(Movie).update({ id: ids.matrix }, { name: '매트릭스 2' });
    // Raw SQL goes behind the service (this process sees it after its bounds): a process starting now reads the damaged table.
    const fresh = new MovieSearchService(ctx.rt.ds, ctx.rt.services.catalog, { cache: { ttlMs: 0 } });
    expect((await fresh.search('신과 함께', null)).searchResult.map((c) => c.movie.id)).not.toContain(ids.twoWorlds);
    expect((await fresh.search('신과 함께', null)).searchResult.length).toBeGreaterThan(0);

    const done = (await runProcessor('search.reindex', {}, ctx.rt.services, jobCtx)) as { movies: number; terms: number };
    expect(done.movies).toBe(await repo(Movie).count());
    expect(done.terms).toBe(await repo(MovieSearchTerm).count());
    expect((await search('신과 함께')).body).toEqual(before);
    expect((await autocomplete('매트릭스')).body).toEqual(['매트릭스 2']);
  });

  it('a movie matching literally by one title is never similar by its other, also when that title is past the candidates', async () => {
    // 200 long titles starting with the query, all more rated than the last movie: more than the 30
    // shown (the prefix walk stops once they are settled) and the 150 gram candidates.
    const filler = Array.from({ length: 200 }, (_, k) => ({ name: `은하수 저편으로 떠나는 여행 ${k + 1}`, nameEng: null, watchGrade: '12세 관람가' as WatchGrade, runningTime: 100, ratingCount: 10 + k, ratingSumHalf: 80 * (10 + k) }));
    await repo(Movie).insert(filler);
    await ctx.rt.services.movieSearch.rebuild();
    // Its name starts with the query; its other title is two vowels off it (found among the 초성 candidates only).
    const last = await movie('은하수 마지막 여행', { nameEng: '은허소', ratings: 0 });
    const body = (await search('은하수')).body as { search_result: Array<{ id: number }>; similar_result: Array<{ id: number }> };
    expect(body.search_result).toHaveLength(30);
    expect(body.search_result.map((m) => m.id)).not.toContain(last);
    expect(body.similar_result.map((m) => m.id)).not.toContain(last);
    // Its other title is held (it is found by it).
    expect(names((await search('은허소')).body.search_result)).toEqual(['은하수 마지막 여행']);
  });
});
