// Issue 12 item 5: identical requests sent at once (10 in parallel, live MariaDB) never answer a
// 5xx. A unique index that refuses the loser answers the seed's 400 field error (as the
// sequential duplicate check does), a deadlock is retried, bulk duplicates are skipped — and the
// final state is the one some serial order of the requests would leave.
import request from 'supertest';
import type { Express } from 'express';
import { Genre } from '../../src/modules/catalog/genre.entity.js';
import { Manufacturer } from '../../src/modules/catalog/manufacturer.entity.js';
import { Movie } from '../../src/modules/catalog/movie.entity.js';
import { Cinema, CinemaPick } from '../../src/modules/cinemas/cinema.entities.js';
import { MovieRating } from '../../src/modules/ratings/movie-rating.entity.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { signupAndLogin, staffTokens, uniqueName } from '../support/users.js';

const N = 10;
/** Rounds per case: a race is a matter of timing, so each case runs a few times. */
const ROUNDS = 3;

let ctx: TestContext & { app: Express };
const staffToken = staffTokens(() => ctx);
const auth = (token: string) => ({ Authorization: `JWT ${token}` });
const repo = <T extends object>(e: new () => T) => ctx.rt.ds.getRepository(e);

beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => {
  await ctx.close();
});

function parallel(send: (i: number) => request.Test): Promise<request.Response[]> {
  return Promise.all(Array.from({ length: N }, (_, i) => send(i)));
}

const statuses = (rs: request.Response[]) => rs.map((r) => r.status).sort();
const serverErrors = (rs: request.Response[]) => rs.filter((r) => r.status >= 500).map((r) => `${r.status} ${JSON.stringify(r.body)}`);

describe(`${N} identical requests at once`, () => {
  it('genre create: one 201, the others the seed’s 400 {"name": […이미 존재합니다.]}; one row', async () => {
    const token = await staffToken('catalog');
    for (let round = 0; round < ROUNDS; round++) {
      const name = uniqueName('동시장르').slice(0, 50);
      const rs = await parallel(() => request(ctx.app).post('/movie/genre/').set(auth(token)).send({ name }));
      expect(serverErrors(rs)).toEqual([]);
      expect(statuses(rs)).toEqual([201, ...Array(N - 1).fill(400)]);
      for (const r of rs.filter((x) => x.status === 400)) expect(r.body).toEqual({ name: ['genre의 name은/는 이미 존재합니다.'] });
      expect(await repo(Genre).countBy({ name })).toBe(1);
    }
  });

  it('genre rename: ten genres renamed to one name → one 200, nine 400; the others keep their names', async () => {
    const token = await staffToken('catalog');
    for (let round = 0; round < ROUNDS; round++) {
      const genres = await repo(Genre).save(Array.from({ length: N }, () => repo(Genre).create({ name: uniqueName('원래장르') })));
      const target = uniqueName('새이름');
      const rs = await parallel((i) => request(ctx.app).put(`/movie/genre/${genres[i].id}/`).set(auth(token)).send({ name: target }));
      expect(serverErrors(rs)).toEqual([]);
      expect(statuses(rs)).toEqual([200, ...Array(N - 1).fill(400)]);
      for (const r of rs.filter((x) => x.status === 400)) expect(r.body).toEqual({ name: ['genre의 name은/는 이미 존재합니다.'] });
      const winner = genres[rs.findIndex((r) => r.status === 200)];
      const after = await repo(Genre).findBy(genres.map((g) => ({ id: g.id })));
      for (const g of after) expect(g.name).toBe(g.id === winner.id ? target : genres.find((x) => x.id === g.id)!.name);
    }
  });

  it('manufacturer create: one 201, the others 400 {"name": […]}; one row', async () => {
    const token = await staffToken('catalog');
    for (let round = 0; round < ROUNDS; round++) {
      const name = uniqueName('동시제작사');
      const rs = await parallel(() => request(ctx.app).post('/manufacturers/').set(auth(token)).send({ name, partnership_status: 'contracted' }));
      expect(serverErrors(rs)).toEqual([]);
      expect(statuses(rs)).toEqual([201, ...Array(N - 1).fill(400)]);
      for (const r of rs.filter((x) => x.status === 400)) expect(r.body).toEqual({ name: ['manufacturer의 name은/는 이미 존재합니다.'] });
      expect(await repo(Manufacturer).countBy({ name })).toBe(1);
    }
  });

  it('the same bulk POST user/rating/: every answer 203, one rating per movie, exact counters', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const member = await signupAndLogin(ctx.app);
      const movies = await repo(Movie).save(Array.from({ length: 5 }, () => repo(Movie).create({ name: uniqueName('벌크영화') })));
      const data = movies.map((m, i) => ({ movie: m.id, score: 1 + i * 0.5 }));
      const rs = await parallel(() => request(ctx.app).post('/user/rating/').set(auth(member.token)).send({ data }));
      expect(serverErrors(rs)).toEqual([]);
      expect(statuses(rs)).toEqual(Array(N).fill(203));
      for (const [i, m] of movies.entries()) {
        expect(await repo(MovieRating).countBy({ movieId: m.id })).toBe(1);
        const after = await repo(Movie).findOneByOrFail({ id: m.id });
        expect([after.ratingCount, after.ratingSumHalf]).toEqual([1, 2 + i]);
      }
    }
  });

  it('bulk ratings that overlap (different order, shared movies) at once: no 5xx, each movie rated once', async () => {
    const member = await signupAndLogin(ctx.app);
    const movies = await repo(Movie).save(Array.from({ length: 8 }, () => repo(Movie).create({ name: uniqueName('겹침영화') })));
    const rs = await parallel((i) => {
      const mine = movies.filter((_, j) => (i + j) % 3 !== 0);
      const data = (i % 2 ? [...mine].reverse() : mine).map((m) => ({ movie: m.id, score: 4 }));
      return request(ctx.app).post('/user/rating/').set(auth(member.token)).send({ data });
    });
    expect(serverErrors(rs)).toEqual([]);
    expect(statuses(rs)).toEqual(Array(N).fill(203));
    for (const m of movies) {
      expect(await repo(MovieRating).countBy({ movieId: m.id })).toBe(1);
      expect((await repo(Movie).findOneByOrFail({ id: m.id })).ratingCount).toBe(1);
    }
  });

  it('the cinema pick toggle: no 5xx; the answers alternate as in a serial order (5 on, 5 off) and it ends off', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const member = await signupAndLogin(ctx.app);
      const cinema = await repo(Cinema).save(repo(Cinema).create({ region: '서울', area: '강남구', name: uniqueName('동시극장'), address: '서울', x: 127, y: 37.5, type: 'CGV' }));
      const rs = await parallel(() => request(ctx.app).post(`/cinema/${cinema.id}/pick/`).set(auth(member.token)).type('form').send('1'));
      expect(serverErrors(rs)).toEqual([]);
      expect(statuses(rs)).toEqual(Array(N).fill(200));
      const answers = rs.map((r) => r.body.pick_cinemas);
      expect(answers.filter((a) => a === true)).toHaveLength(N / 2);
      expect(answers.filter((a) => a === false)).toHaveLength(N / 2);
      expect(await repo(CinemaPick).countBy({ cinemaId: cinema.id })).toBe(0);
    }
  });

  it('the movie pick toggle (PATCH) likewise', async () => {
    const member = await signupAndLogin(ctx.app);
    const movie = await repo(Movie).save(repo(Movie).create({ name: uniqueName('찜영화') }));
    const rs = await parallel(() => request(ctx.app).patch(`/movie/${movie.id}/pick/`).set(auth(member.token)).type('form').send('1'));
    expect(serverErrors(rs)).toEqual([]);
    const answers = rs.map((r) => r.body.pick_movies);
    expect(answers.filter((a) => a === true)).toHaveLength(N / 2);
    expect(answers.filter((a) => a === false)).toHaveLength(N / 2);
    expect(await ctx.rt.services.catalog.isPicked((await ctx.rt.services.users.findByLogin(member.username))!.id, movie.id)).toBe(false);
  });

  it('sign-up with one username: one 200, the others the seed’s 400 {"username": […]}; one account', async () => {
    const username = uniqueName('dupsign');
    const rs = await parallel((i) => request(ctx.app).post('/user/signup/').send({ username, password: 'pa55word!x', email: `dup${i}@example.com` }));
    expect(serverErrors(rs)).toEqual([]);
    expect(statuses(rs)).toEqual([200, ...Array(N - 1).fill(400)]);
    const taken = ['user의 username은/는 이미 존재합니다.'];
    for (const r of rs.filter((x) => x.status === 400)) expect(r.body).toEqual({ username: taken, message: { username: taken } });
    expect(await ctx.rt.services.users.findByLogin(username)).not.toBeNull();
  });

  it('the first GET autodisplay/ (the shelf is stored on first read): every answer 200 and the same shelf', async () => {
    await repo(Movie).save(Array.from({ length: 12 }, () => repo(Movie).create({ name: uniqueName('진열영화'), ratingCount: 5, ratingSumHalf: 40 })));
    for (let round = 0; round < ROUNDS; round++) {
      const member = await signupAndLogin(ctx.app);
      const rs = await parallel(() => request(ctx.app).get('/autodisplay/').set(auth(member.token)));
      expect(serverErrors(rs)).toEqual([]);
      expect(statuses(rs)).toEqual(Array(N).fill(200));
      expect(rs[0].body.length).toBeGreaterThan(0);
      for (const r of rs) expect(r.body).toEqual(rs[0].body);
    }
  });
});
