// The movie search on the embedded SQLite database (no Redis): the same index and queries, with
// SQLite's prefix ranges instead of MySQL's LIKE.
import request from 'supertest';
import type { Express } from 'express';
import { createTestApp, type TestContext } from '../support/context.js';
import { MovieSearchService } from '../../src/modules/search/movie-search.service.js';

let ctx: TestContext & { app: Express };
beforeAll(async () => {
  ctx = await createTestApp({ dialect: 'sqlite', redis: false });
  const { catalog } = ctx.rt.services;
  for (const [name, nameEng] of [
    ['신과함께-죄와 벌', 'Along with the Gods'],
    ['신과 함께', null],
    ['그리고 신과함께', null],
    ['바람과 함께 사라지다', 'Gone with the Wind'],
  ] as const) {
    await catalog.createMovie({ name, nameEng, watchGrade: '12세 관람가' }, null);
  }
  await catalog.createMovie({ name: '신과함께 외전', watchGrade: '청소년 관람불가' }, null);
});
afterAll(async () => {
  await ctx?.close();
});

it('autocomplete, 초성, English, similar and the age gate work on SQLite', async () => {
  expect((await request(ctx.app).get('/search/movie/').query({ words: '신과 함께' }).expect(200)).body).toEqual(['신과 함께', '신과함께-죄와 벌', '그리고 신과함께']);
  expect((await request(ctx.app).get('/search/movie/').query({ words: 'ㅅㄱㅎㄲ' }).expect(200)).body).toEqual(['신과 함께', '신과함께-죄와 벌']);
  expect((await request(ctx.app).get('/search/movie/').query({ words: '바' }).expect(200)).body).toEqual(['바람과 함께 사라지다']);
  const res = await request(ctx.app).get(`/search/movie/${encodeURIComponent('신과 함께')}/`).expect(200);
  expect(res.body.search_result.map((m: { name: string }) => m.name)).toEqual(['신과 함께', '신과함께-죄와 벌', '그리고 신과함께']);
  expect(res.body.similar_result.map((m: { name: string }) => m.name)).toEqual(['바람과 함께 사라지다']);
  expect((await request(ctx.app).get('/search/movie/gone%20with/').expect(200)).body.search_result.map((m: { name: string }) => m.name)).toEqual(['바람과 함께 사라지다']);
});

it('rename and delete keep the index in sync, and rebuild reproduces it', async () => {
  const { catalog, movieSearch } = ctx.rt.services;
  const view = await catalog.createMovie({ name: '기생충' }, null);
  expect((await request(ctx.app).get('/search/movie/').query({ words: '기생' })).body).toEqual(['기생충']);
  await catalog.updateMovie(view.movie.id, { name: '옥자' }, null);
  expect((await request(ctx.app).get('/search/movie/').query({ words: '기생' })).body).toEqual([]);
  expect((await request(ctx.app).get('/search/movie/').query({ words: '옥' })).body).toEqual(['옥자']);
  await catalog.deleteMovie(view.movie.id, null);
  expect((await request(ctx.app).get('/search/movie/').query({ words: '옥' })).body).toEqual([]);
  // The terms held kept the table's checksum through the writes (SQLite's crc32 and the joined columns as in memory).
  expect(await movieSearch.heldMatchesTable()).toBe(true);
  await ctx.rt.ds.query("UPDATE movie_search_terms SET title = '옥자 ' WHERE title = '신과 함께'");
  expect(await movieSearch.heldMatchesTable()).toBe(false);
  await ctx.rt.ds.query("UPDATE movie_search_terms SET title = '신과 함께' WHERE title = '옥자 '");
  expect(await movieSearch.heldMatchesTable()).toBe(true);
  const before = (await request(ctx.app).get(`/search/movie/${encodeURIComponent('신과함께')}/`)).body;
  const done = await movieSearch.rebuild({ batchSize: 2 });
  expect(done.movies).toBe(5);
  expect((await request(ctx.app).get(`/search/movie/${encodeURIComponent('신과함께')}/`)).body).toEqual(before);
});

it('titles containing the query past the candidate bound: the most rated are found, whatever their ids', async () => {
  const { catalog } = ctx.rt.services;
  // 400 titles containing 밀회 (none starting with it), more than the 300 gram candidates; the
  // most rated are the last ids.
  await ctx.rt.ds.query(
    `INSERT INTO movies (id, name) WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 400) SELECT 2000000 + i, '옛 밀회 ' || i FROM k`,
  );
  await ctx.rt.ds.query(
    `INSERT INTO movie_search_terms (movie_id, field, title, norm, choseong, len, popularity, watch_grade)
     SELECT id, 'name', name, name, 'ㅇ ㅁㅎ', 9, CASE id WHEN 2000400 THEN 100 WHEN 2000399 THEN 90 WHEN 2000350 THEN 80 ELSE 0 END, NULL FROM movies WHERE id > 2000000`,
  );
  try {
    const fresh = new MovieSearchService(ctx.rt.ds, catalog, { cache: { ttlMs: 0 } });
    const found = await fresh.search('밀회');
    expect(found.searchResult.slice(0, 3).map((c) => c.movie.id)).toEqual([2000400, 2000399, 2000350]);
    expect(found.searchResult).toHaveLength(30);
    expect((await fresh.autocomplete('밀회')).slice(0, 3)).toEqual(['옛 밀회 400', '옛 밀회 399', '옛 밀회 350']);
  } finally {
    // Their index rows go with them (ON DELETE CASCADE).
    await ctx.rt.ds.query('DELETE FROM movies WHERE id > 2000000');
  }
});

it('a catalog with more titles than a call can take as arguments loads its search terms (140k rows)', async () => {
  const { catalog } = ctx.rt.services;
  const n = 70_000;
  // Written by SQL (a bulk load), as the index itself would hold them: 대작<id> and epic<id>.
  await ctx.rt.ds.query(
    `INSERT INTO movies (id, name, name_eng) WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?) SELECT 1000000 + i, '대작' || (1000000 + i), 'epic' || (1000000 + i) FROM k`,
    [n],
  );
  await ctx.rt.ds.query(
    `INSERT INTO movie_search_terms (movie_id, field, title, norm, choseong, len, popularity, watch_grade)
     SELECT id, 'name', name, name, 'ㄷㅈ' || id, 9, 0, NULL FROM movies WHERE id > 1000000
     UNION ALL SELECT id, 'name_eng', name_eng, name_eng, name_eng, 11, 0, NULL FROM movies WHERE id > 1000000`,
  );
  // A process starting now reads every term at once.
  const fresh = new MovieSearchService(ctx.rt.ds, catalog, { cache: { ttlMs: 0 } });
  expect(await fresh.warm()).toBeGreaterThanOrEqual(n);
  expect(await fresh.autocomplete('대작1069999')).toEqual(['대작1069999']);
  expect(await fresh.autocomplete('epic1000001')).toEqual(['epic1000001']);
}, 60_000);
