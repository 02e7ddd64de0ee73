import request from 'supertest';
import type { Express } from 'express';
import { Movie } from '../../src/modules/catalog/movie.entity.js';
import { MovieRating } from '../../src/modules/ratings/movie-rating.entity.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { signupAndLogin } from '../support/users.js';
import { answered } from '../support/errors.js';

let ctx: TestContext & { app: Express };
const auth = (token: string) => ({ Authorization: `JWT ${token}` });

async function movie(over: Partial<Movie> = {}): Promise<Movie> {
  return ctx.rt.ds.getRepository(Movie).save(ctx.rt.ds.getRepository(Movie).create({ name: `영화${Math.random().toString(36).slice(2, 8)}`, openDate: '2019-05-01', watchGrade: '12세 관람가', ...over }));
}

beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => {
  await ctx.close();
});

describe('POST movie/rating/', () => {
  it('stores a rating in the seed shape and updates the average', async () => {
    const m = await movie();
    const { token } = await signupAndLogin(ctx.app);
    const res = await request(ctx.app).post('/movie/rating/').set(auth(token)).send({ comment: 'blah', score: 4.5, movie: String(m.id) });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(Number), comment: 'blah', movie: m.id, score: 4.5, created_at: expect.stringMatching(/Z$/), updated_at: expect.any(String) });
    expect((await request(ctx.app).get(`/movie/${m.id}/score/`)).body).toEqual({ score: 4.5 });
    expect((await request(ctx.app).get(`/movie/${m.id}/`).set(auth(token))).body.has_score).toBe(true);
  });

  it('answers the seed messages', async () => {
    const m = await movie();
    const { token } = await signupAndLogin(ctx.app);
    expect((await request(ctx.app).post('/movie/rating/').set(auth(token)).send({ score: 5 })).body).toEqual({ movie: ['이 필드는 필수 항목입니다.'] });
    const both = await request(ctx.app).post('/movie/rating/').set(auth(token)).send({ movie: 999999 });
    expect(both.status).toBe(400);
    expect(both.body).toEqual({ score: ['이 필드는 필수 항목입니다.'] });
    expect((await request(ctx.app).post('/movie/rating/').set(auth(token)).send({ movie: 999999, score: 3 })).body).toEqual({ movie: ['유효하지 않은 pk "999999" - 객체가 존재하지 않습니다.'] });
    expect((await request(ctx.app).post('/movie/rating/').set(auth(token)).send({ movie: m.id, score: 0 })).body).toEqual({ score: ['이 값이 0.5보다 크거나 같은지 확인하십시오.'] });
    expect((await request(ctx.app).post('/movie/rating/').set(auth(token)).send({ movie: m.id, score: 5.5 })).body).toEqual({ score: ['이 값이 5보다 작거나 같은지 확인하십시오.'] });
    expect((await request(ctx.app).post('/movie/rating/').set(auth(token)).send({ movie: m.id, score: 3.3 })).body).toEqual({ score: ['0.5 단위로 입력하세요.'] });
    await request(ctx.app).post('/movie/rating/').set(auth(token)).send({ movie: m.id, score: 3 }).expect(201);
    const again = await request(ctx.app).post('/movie/rating/').set(auth(token)).send({ movie: m.id, score: 4 });
    expect(again.status).toBe(403);
    expect(again.body).toEqual({ message: '이미 평가한 영화입니다.' });
    expect(await ctx.rt.ds.getRepository(MovieRating).countBy({ movieId: m.id })).toBe(1);
    expect((await request(ctx.app).post('/movie/rating/').send({ movie: m.id, score: 4 })).status).toBe(401);
  });

  it('keeps count and average exact under concurrent ratings (and one rating per member even when racing)', async () => {
    const m = await movie();
    const members = await Promise.all(Array.from({ length: 12 }, () => signupAndLogin(ctx.app)));
    const scores = members.map((_, i) => ((i % 10) + 1) / 2);
    const results = await Promise.all(members.map((u, i) => request(ctx.app).post('/movie/rating/').set(auth(u.token)).send({ movie: m.id, score: scores[i] })));
    expect(results.every((r) => r.status === 201)).toBe(true);
    // the same member racing with itself: exactly one wins
    const racer = members[0];
    const m2 = await movie();
    const race = await Promise.all(Array.from({ length: 5 }, () => request(ctx.app).post('/movie/rating/').set(auth(racer.token)).send({ movie: m2.id, score: 2 })));
    expect(race.map((r) => r.status).sort()).toEqual([201, 403, 403, 403, 403]);
    const row = await ctx.rt.ds.getRepository(Movie).findOneByOrFail({ id: m.id });
    expect(row.ratingCount).toBe(12);
    expect(row.ratingSumHalf).toBe(scores.reduce((s, x) => s + x * 2, 0));
    expect((await ctx.rt.ds.getRepository(Movie).findOneByOrFail({ id: m2.id })).ratingCount).toBe(1);
  });
});

describe('PATCH / DELETE movie/rating/{id}/', () => {
  it('lets the author change and delete, keeping counters right; others get the seed 400', async () => {
    const m = await movie();
    const author = await signupAndLogin(ctx.app);
    const other = await signupAndLogin(ctx.app);
    const created = (await request(ctx.app).post('/movie/rating/').set(auth(author.token)).send({ movie: m.id, score: 2, comment: 'meh' })).body;
    const upd = await request(ctx.app).patch(`/movie/rating/${created.id}/`).set(auth(author.token)).send({ movie: m.id, score: 5, comment: 'testest2', user: 9, index: 3 });
    expect(upd.status).toBe(200);
    expect(upd.body).toEqual(expect.objectContaining({ id: created.id, user: { id: expect.any(Number), username: author.username }, comment: 'testest2', score: 5, movie: m.id }));
    expect((await ctx.rt.ds.getRepository(Movie).findOneByOrFail({ id: m.id })).ratingSumHalf).toBe(10);

    const denied = await request(ctx.app).patch(`/movie/rating/${created.id}/`).set(auth(other.token)).send({ movie: m.id, score: 1 });
    expect(denied.status).toBe(400);
    expect(denied.body).toEqual({ message: '권한이 없습니다.' });
    expect((await request(ctx.app).patch(`/movie/rating/${created.id}/`).set(auth(author.token)).send({ score: 1 })).body).toEqual({ movie: ['이 필드는 필수 항목입니다.'] });
    expect((await request(ctx.app).delete(`/movie/rating/${created.id}/`).set(auth(other.token))).body).toEqual({ message: '권한이 없습니다.' });
    expect((await request(ctx.app).delete(`/movie/rating/${created.id}/`).set(auth(author.token))).status).toBe(204);
    expect((await request(ctx.app).delete(`/movie/rating/${created.id}/`).set(auth(author.token))).status).toBe(404);
    const after = await ctx.rt.ds.getRepository(Movie).findOneByOrFail({ id: m.id });
    expect([after.ratingCount, after.ratingSumHalf]).toEqual([0, 0]);
  });
});

describe('GET movie/rating/page/', () => {
  it('pages a movie’s visible reviews 10 at a time; missing movie → 404 detail', async () => {
    const m = await movie();
    const members = await Promise.all(Array.from({ length: 11 }, () => signupAndLogin(ctx.app)));
    for (const u of members) await request(ctx.app).post('/movie/rating/').set(auth(u.token)).send({ movie: m.id, score: 3, comment: `by ${u.username}` }).expect(201);
    const hiddenOne = await ctx.rt.ds.getRepository(MovieRating).findOneByOrFail({ movieId: m.id, comment: `by ${members[0].username}` });
    await ctx.rt.services.ratings.setHidden(hiddenOne.id, true, 'spoiler', null);
    // an unknown rating: the 404 detail in Korean by default, English on request
    await expect(answered(ctx.rt.services.ratings.setHidden(2_000_000_000, true, 'x', null))).rejects.toMatchObject({ status: 404, body: { detail: '평가를 찾을 수 없습니다.' } });
    await expect(answered(ctx.rt.services.ratings.setHidden(2_000_000_000, true, 'x', null), 'en')).rejects.toMatchObject({ status: 404, body: { detail: 'Rating not found.' } });
    const p1 = await request(ctx.app).get(`/movie/rating/page/?movie=${m.id}`).set(auth(members[1].token)).expect(200);
    expect(p1.body.count).toBe(10);
    expect(p1.body.results).toHaveLength(10);
    expect(p1.body.next).toBeNull();
    expect(p1.body.results[0]).toEqual({ id: expect.any(Number), comment: expect.stringMatching(/^by /), score: 3, updated_at: expect.any(String), user: { id: expect.any(Number), username: expect.any(String) } });
    const small = await request(ctx.app).get(`/movie/rating/page/?movie=${m.id}&page_size=4&page=2`).set(auth(members[1].token)).expect(200);
    expect(small.body.results).toHaveLength(4);
    expect(small.body.next).toContain('page=3');
    expect((await request(ctx.app).get('/movie/rating/page/').set(auth(members[1].token))).body).toEqual({ detail: '찾을 수 없습니다.' });
    expect((await request(ctx.app).get(`/movie/rating/page/?movie=${m.id}&page_size=51`).set(auth(members[1].token))).status).toBe(400);
  });
});

describe('onboarding: user/login/rating/, user/rating/page/, user/rating/', () => {
  it('counts ratings, lists unrated eligible movies by popularity, bulk-rates and lists ratings', async () => {
    const u = await signupAndLogin(ctx.app);
    const minYear = ctx.config.onboardingMinYear;
    const popular = await movie({ openDate: `${minYear + 3}-01-01`, ratingCount: 1000, ratingSumHalf: 8000 });
    const popularWorse = await movie({ openDate: `${minYear + 3}-01-01`, ratingCount: 1000, ratingSumHalf: 6000 });
    const adult = await movie({ openDate: `${minYear + 3}-01-01`, watchGrade: '청소년 관람불가', ratingCount: 5000, ratingSumHalf: 40000 });
    const old = await movie({ openDate: `${minYear - 1}-12-31`, ratingCount: 5000, ratingSumHalf: 40000 });

    expect((await request(ctx.app).get('/user/login/rating/').set(auth(u.token))).body).toEqual({ rating_tf: false, rating_cnt: 0 });
    const page = await request(ctx.app).get('/user/rating/page/?page_size=60').set(auth(u.token)).expect(200);
    const ids = page.body.results.map((r: { id: number }) => r.id);
    expect(ids.indexOf(popular.id)).toBeLessThan(ids.indexOf(popularWorse.id));
    expect(ids).not.toContain(adult.id);
    expect(ids).not.toContain(old.id);
    expect(page.body.results[0]).toEqual({ id: expect.any(Number), name: expect.any(String), poster: '' });
    expect((await request(ctx.app).get('/user/rating/page/?page_size=61').set(auth(u.token))).status).toBe(400);

    const bad = await request(ctx.app).post('/user/rating/').set(auth(u.token)).send({ data: [{ movie: popular.id }, { score: 3 }] });
    expect(bad.status).toBe(400);
    // seed 004: the entry's fields are the keys (no index), each message once
    expect(bad.body).toEqual({ movie: ['이 필드는 필수 항목입니다.'], score: ['이 필드는 필수 항목입니다.'] });
    const both = await request(ctx.app).post('/user/rating/').set(auth(u.token)).send({ data: [{ movie: popular.id }, {}, { movie: popular.id, score: 7 }] });
    expect(both.body).toEqual({ movie: ['이 필드는 필수 항목입니다.'], score: ['이 필드는 필수 항목입니다.', '이 값이 5보다 작거나 같은지 확인하십시오.'] });
    const en = await request(ctx.app).post('/user/rating/').set(auth(u.token)).set('Accept-Language', 'en').send({ data: [{ score: 3 }] });
    expect(en.body).toEqual({ movie: ['This field is required.'] });
    // errors of data itself stay under data
    expect((await request(ctx.app).post('/user/rating/').set(auth(u.token)).send({})).body).toEqual({ data: ['이 필드는 필수 항목입니다.'] });
    expect((await request(ctx.app).post('/user/rating/').set(auth(u.token)).send({ data: 'x' })).body).toEqual({ data: [expect.any(String)] });
    expect((await request(ctx.app).post('/user/rating/').set(auth(u.token)).send({ data: [] })).body).toEqual({ data: [expect.any(String)] });
    expect((await request(ctx.app).post('/user/rating/').set(auth(u.token)).send({ data: [5] })).body).toEqual({ data: ['딕셔너리(dictionary)가 예상되었으나 다른 타입을 받았습니다.'] });
    expect((await request(ctx.app).post('/user/rating/').send({ data: [{ movie: popular.id }] })).status).toBe(401);

    await request(ctx.app).post('/movie/rating/').set(auth(u.token)).send({ movie: popular.id, score: 1 }).expect(201);
    const extra = await Promise.all(Array.from({ length: 10 }, () => movie({ openDate: `${minYear + 1}-06-01` })));
    const bulk = await request(ctx.app).post('/user/rating/').set(auth(u.token)).send({ data: [{ movie: popular.id, score: 5 }, ...extra.map((m) => ({ movie: m.id, score: 4 }))] });
    expect(bulk.status).toBe(203);
    // the movie rated before the bulk call keeps its first score (skipped, not overwritten)
    const userId = JSON.parse(Buffer.from(u.token.split('.')[1], 'base64url').toString()).user_id;
    expect((await ctx.rt.ds.getRepository(MovieRating).findOneByOrFail({ movieId: popular.id, userId })).scoreHalf).toBe(2);
    expect((await request(ctx.app).get('/user/login/rating/').set(auth(u.token))).body).toEqual({ rating_tf: true, rating_cnt: 11 });
    const mine = await request(ctx.app).get('/user/rating/').set(auth(u.token)).expect(200);
    expect(mine.body).toHaveLength(11);
    expect(mine.body).toEqual(expect.arrayContaining([{ id: expect.any(Number), movie: { id: popular.id, name: popular.name, poster: '' }, score: 1 }]));
    const rerank = await request(ctx.app).get('/user/rating/page/?page_size=60').set(auth(u.token)).expect(200);
    expect(rerank.body.results.map((r: { id: number }) => r.id)).not.toContain(popular.id);
  });
});

describe('embedded mode (SQLite, no Redis)', () => {
  it('edits and deletes a rating (no row-lock clause on SQLite) and keeps the counters exact', async () => {
    const sqlite = await createTestApp({ dialect: 'sqlite', redis: false });
    try {
      const repo = sqlite.rt.ds.getRepository(Movie);
      const m = await repo.save(repo.create({ name: '임베디드 영화', openDate: '2019-05-01', watchGrade: '12세 관람가' }));
      const u = await signupAndLogin(sqlite.app);
      const created = await request(sqlite.app).post('/movie/rating/').set(auth(u.token)).send({ movie: m.id, score: 2 }).expect(201);
      await request(sqlite.app).patch(`/movie/rating/${created.body.id}/`).set(auth(u.token)).send({ movie: m.id, score: 4.5 }).expect(200);
      expect((await repo.findOneByOrFail({ id: m.id })).ratingSumHalf).toBe(9);
      await request(sqlite.app).delete(`/movie/rating/${created.body.id}/`).set(auth(u.token)).expect(204);
      const after = await repo.findOneByOrFail({ id: m.id });
      expect([after.ratingCount, after.ratingSumHalf]).toEqual([0, 0]);
    } finally {
      await sqlite.close();
    }
  });
});
