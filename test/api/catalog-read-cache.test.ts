// The catalog's read cache (issue 16) against live MariaDB and Redis: the movie detail and the
// genre pages are served from the in-process cache, and a write through every path (API, rating,
// panel action, import) is visible on the next read of this process and, through Redis pub/sub,
// on a second runtime sharing the database within 100 ms. The age gate and the per-member fields
// are applied on every request, never taken from the cache. Anonymous reads carry an ETag (304 when
// unchanged, a new one when the movie changes) and Cache-Control.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { buildApp } from '../../src/app.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { panelLogins } from '../support/panel.js';
import { Cinema } from '../../src/modules/cinemas/cinema.entities.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { birthDateYearsAgo, verifyAge } from '../support/age.js';
import { signupAndLogin, staffTokens, uniqueName } from '../support/users.js';

let ctx: TestContext & { app: Express };
/** A second process: its own runtime (its own caches) on the same database and Redis prefix. */
let other: { rt: Runtime; app: Express };
const staffToken = staffTokens(() => ctx);
const panelAs = panelLogins(() => ctx);
const panelApi = '/admin/api/resources';
const auth = (token: string) => ({ Authorization: `JWT ${token}` });

beforeAll(async () => {
  ctx = await createTestApp({ admin: true });
  const rt = await createRuntime(ctx.config, { migrate: false, schedule: false, relay: false });
  other = { rt, app: await buildApp(rt, { admin: false }) };
});
afterAll(async () => {
  await other?.rt.close();
  await ctx.close();
});

async function newGenre(): Promise<number> {
  const res = await request(ctx.app).post('/movie/genre/').set(auth(await staffToken('catalog'))).send({ name: uniqueName('장르') }).expect(201);
  return res.body.id;
}

async function newMovie(genreId: number, over: Record<string, unknown> = {}): Promise<number> {
  const body = { name: uniqueName('영화'), watch_grade: '12세 관람가', open_date: '2020-01-01', running_time: 100, directors: ['감독'], actors: ['배우'], ...over };
  const res = await request(ctx.app).post(`/movie/genres/${genreId}/movies/`).set(auth(await staffToken('catalog'))).send(body).expect(201);
  return res.body.id;
}

const detail = (app: Express, id: number, token?: string) => {
  const r = request(app).get(`/movie/${id}/`);
  return token ? r.set(auth(token)) : r;
};

/** Polls `read` until `ok`; returns the milliseconds it took (fails after `limitMs`). */
async function within(limitMs: number, read: () => Promise<boolean>): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    if (await read()) return Date.now() - t0;
    if (Date.now() - t0 > limitMs) throw new Error(`not visible within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('movie detail from the read cache', () => {
  it('serves the second read from the cache and shows an API update on the next read', async () => {
    const g = await newGenre();
    const id = await newMovie(g, { name: '캐시 전' });
    await detail(ctx.app, id).expect(200);
    const hits = ctx.rt.services.catalog.cache.hits;
    expect((await detail(ctx.app, id).expect(200)).body.name).toBe('캐시 전');
    expect(ctx.rt.services.catalog.cache.hits).toBeGreaterThan(hits);

    await request(ctx.app).put(`/movie/genres/${g}/movies/${id}/`).set(auth(await staffToken('catalog'))).send({ name: '캐시 후', watch_grade: '12세 관람가' }).expect(200);
    const after = (await detail(ctx.app, id).expect(200)).body;
    expect(after.name).toBe('캐시 후');
    expect(after.running_time).toBeNull();
  });

  it('shows a new rating in the score on the next read (ratings path)', async () => {
    const g = await newGenre();
    const id = await newMovie(g);
    expect((await detail(ctx.app, id).expect(200)).body.score).toBe(0);
    await detail(ctx.app, id).expect(200);
    const member = await signupAndLogin(ctx.app);
    await request(ctx.app).post('/movie/rating/').set(auth(member.token)).send({ movie: id, score: 4 }).expect(201);
    expect((await detail(ctx.app, id).expect(200)).body.score).toBe(4);
  });

  it('shows panel writes (movie row, genre link, credit, genre rename) on the next read', async () => {
    const g = await newGenre();
    const g2 = await newGenre();
    const id = await newMovie(g);
    const panel = await panelAs('catalog');
    await detail(ctx.app, id).expect(200);
    await detail(ctx.app, id).expect(200);

    expect((await panel.post(`${panelApi}/movies/records/${id}/edit`).send({ name: '패널 수정' })).body.notice.type).toBe('success');
    expect((await detail(ctx.app, id).expect(200)).body.name).toBe('패널 수정');

    const genreName = (await ctx.rt.services.catalog.getGenre(g2)).name;
    expect((await panel.post(`${panelApi}/movie_genres/actions/new`).send({ movieId: String(id), genreId: String(g2) })).body.notice.type).toBe('success');
    expect((await detail(ctx.app, id).expect(200)).body.genres).toContain(genreName);
    // The genre page lists it now too.
    expect((await request(ctx.app).get(`/movie/genres/${g2}/movies/`).expect(200)).body.results.map((m: { id: number }) => m.id)).toContain(id);

    expect((await panel.post(`${panelApi}/genres/records/${g2}/edit`).send({ name: '패널 장르' })).body.notice.type).toBe('success');
    expect((await detail(ctx.app, id).expect(200)).body.genres).toContain('패널 장르');
  });

  it('shows an import on the next read (MovieLens import path)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mq-ml-'));
    try {
      const ml = 9_000_000 + Math.floor(Math.random() * 100_000);
      writeFileSync(path.join(dir, 'movies.csv'), `movieId,title,genres\n${ml},Cache Test Movie (1999),Drama\n`, 'utf8');
      await ctx.rt.services.catalogImport.importMovieLens(dir, { countRatings: false });
      const [{ id }] = await ctx.rt.ds.query('SELECT id FROM movies WHERE movielens_id = ?', [ml]);
      const first = (await detail(ctx.app, id).expect(200)).body.name;
      await detail(ctx.app, id).expect(200);
      writeFileSync(path.join(dir, 'movies.csv'), `movieId,title,genres\n${ml},Cache Test Renamed (1999),Drama\n`, 'utf8');
      await ctx.rt.services.catalogImport.importMovieLens(dir, { countRatings: false });
      const second = (await detail(ctx.app, id).expect(200)).body.name;
      expect(second).not.toBe(first);
      expect(second).toMatch(/Renamed/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a second process (Redis pub/sub)', () => {
  it('sees an API update, a rating and a genre rename within 100 ms', async () => {
    const g = await newGenre();
    const id = await newMovie(g, { name: '복제 전' });
    await detail(other.app, id).expect(200);
    const hits = other.rt.services.catalog.cache.hits;
    await detail(other.app, id).expect(200);
    expect(other.rt.services.catalog.cache.hits).toBeGreaterThan(hits);

    await request(ctx.app).put(`/movie/genres/${g}/movies/${id}/`).set(auth(await staffToken('catalog'))).send({ name: '복제 후', watch_grade: '12세 관람가' }).expect(200);
    const ms = await within(100, async () => (await detail(other.app, id)).body.name === '복제 후');
    expect(ms).toBeLessThanOrEqual(100);

    const member = await signupAndLogin(ctx.app);
    await request(ctx.app).post('/movie/rating/').set(auth(member.token)).send({ movie: id, score: 3 }).expect(201);
    await within(100, async () => (await detail(other.app, id)).body.score === 3);

    await request(ctx.app).put(`/movie/genre/${g}/`).set(auth(await staffToken('catalog'))).send({ name: '복제 장르' }).expect(200);
    await within(100, async () => (await detail(other.app, id)).body.genres.includes('복제 장르'));
    await within(100, async () => (await request(other.app).get('/movie/genre/?page=1')).status === 200);
  });

  it('a top 10 recompute (the nightly job) shows on the next read here and within 100 ms in the other process; a deleted movie leaves it at once', async () => {
    const top10 = async (app: Express) => ((await request(app).get('/movie/top10/?country=QX').expect(200)).body.results as Array<{ movie: { id: number } }>).map((r) => r.movie.id);
    const g = await newGenre();
    const id = await newMovie(g, { country: 'QX' });
    // Both processes have read (and kept) the country's empty top 10.
    expect(await top10(ctx.app)).toEqual([]);
    expect(await top10(other.app)).toEqual([]);
    const hits = other.rt.services.recommendations.top10Cache.hits;
    expect(await top10(other.app)).toEqual([]);
    expect(other.rt.services.recommendations.top10Cache.hits).toBeGreaterThan(hits);

    await ctx.rt.services.recommendations.computeTop10();
    expect(await top10(ctx.app)).toEqual([id]);
    expect(await within(100, async () => (await top10(other.app)).includes(id))).toBeLessThanOrEqual(100);

    // The panel's movie delete (the API only unlinks a movie from a genre).
    await ctx.rt.services.catalog.deleteMovie(id, null);
    expect(await top10(ctx.app)).toEqual([]);
    await within(100, async () => (await top10(other.app)).length === 0);
  });

  it('a member’s pick and rating show in their next signed-in detail here and within 100 ms in the other process (their kept state is dropped by their activity)', async () => {
    const g = await newGenre();
    const id = await newMovie(g);
    const another = await newMovie(g);
    const member = await signupAndLogin(ctx.app);
    const read = async (app: Express, movie: number) => (await detail(app, movie, member.token).expect(200)).body as { pick_movies: boolean; has_score: boolean };
    for (const app of [ctx.app, other.app]) expect(await read(app, id)).toEqual(expect.objectContaining({ pick_movies: false, has_score: false }));
    // The member's state is kept across movies: the other process reads another movie without a statement of its own.
    const states = other.rt.services.recommendations.memberStates;
    const hits = states.hits;
    expect((await read(other.app, another)).pick_movies).toBe(false);
    expect(states.hits).toBeGreaterThan(hits);

    expect((await request(ctx.app).patch(`/movie/${id}/pick/`).set(auth(member.token)).send({}).expect(200)).body).toEqual({ pick_movies: true });
    expect((await read(ctx.app, id)).pick_movies).toBe(true);
    expect(await within(100, async () => (await read(other.app, id)).pick_movies)).toBeLessThanOrEqual(100);

    await request(ctx.app).post('/movie/rating/').set(auth(member.token)).send({ movie: id, score: 4 }).expect(201);
    expect((await read(ctx.app, id)).has_score).toBe(true);
    await within(100, async () => (await read(other.app, id)).has_score);

    // A pick made in the other process shows here too; another member's state is untouched.
    await request(other.app).patch(`/movie/${another}/pick/`).set(auth(member.token)).send({}).expect(200);
    await within(100, async () => (await read(ctx.app, another)).pick_movies);
    const someoneElse = await signupAndLogin(ctx.app);
    expect((await detail(ctx.app, id, someoneElse.token).expect(200)).body).toEqual(expect.objectContaining({ pick_movies: false, has_score: false }));
  });

  it('my page follows the member’s picks and favourite cinemas on the next read here and within 100 ms in the other process', async () => {
    const g = await newGenre();
    const id = await newMovie(g);
    const cinemaRepo = ctx.rt.ds.getRepository(Cinema);
    const cinema = await cinemaRepo.save(cinemaRepo.create({ region: '서울', area: '마포구', name: uniqueName('마이시네마'), address: '서울 마포구', x: 126.92, y: 37.55, type: 'CGV', tel: null, img: null, url: null }));
    const member = await signupAndLogin(ctx.app);
    const myPage = async (app: Express) => (await request(app).get('/user/').set(auth(member.token)).expect(200)).body as { meta: { pick_movies: number; pick_cinemas: number } };
    for (const app of [ctx.app, other.app]) expect((await myPage(app)).meta).toEqual(expect.objectContaining({ pick_movies: 0, pick_cinemas: 0 }));
    const states = ctx.rt.services.recommendations.memberStates;
    const hits = states.hits;
    await myPage(ctx.app);
    expect(states.hits).toBeGreaterThan(hits);

    // Each change alone, the page read (and kept again) in both processes in between.
    await request(ctx.app).patch(`/movie/${id}/pick/`).set(auth(member.token)).send({}).expect(200);
    expect((await myPage(ctx.app)).meta).toEqual(expect.objectContaining({ pick_movies: 1, pick_cinemas: 0 }));
    expect(await within(100, async () => (await myPage(other.app)).meta.pick_movies === 1)).toBeLessThanOrEqual(100);
    await request(ctx.app).patch(`/cinema/${cinema.id}/pick/`).set(auth(member.token)).send('1').expect(200);
    expect((await myPage(ctx.app)).meta).toEqual(expect.objectContaining({ pick_movies: 1, pick_cinemas: 1 }));
    expect(await within(100, async () => (await myPage(other.app)).meta.pick_cinemas === 1)).toBeLessThanOrEqual(100);

    // The picked movie and the favourite cinema renamed: the member's state is the same, the page
    // (kept with it while the same cards make it) is not — here at once, there within 100 ms.
    const names = async (app: Express) => {
      const body = (await request(app).get('/user/').set(auth(member.token)).expect(200)).body as { data: { pick_movies: Array<{ name: string }>; pick_cinemas: Array<{ name: string }> } };
      return [body.data.pick_movies[0]?.name, body.data.pick_cinemas[0]?.name];
    };
    for (const app of [ctx.app, other.app]) await names(app);
    const movieName = uniqueName('새 제목');
    await request(ctx.app).put(`/movie/genres/${g}/movies/${id}/`).set(auth(await staffToken('catalog'))).send({ name: movieName, watch_grade: '12세 관람가' }).expect(200);
    expect((await names(ctx.app))[0]).toBe(movieName);
    expect(await within(100, async () => (await names(other.app))[0] === movieName)).toBeLessThanOrEqual(100);
    await ctx.rt.services.cinemas.saveCinema(null, cinema.id, { region: '서울', area: '마포구', name: `${cinema.name} 새이름`, address: '서울 마포구', x: 126.92, y: 37.55, type: 'CGV' } as never);
    expect(await names(ctx.app)).toEqual([movieName, `${cinema.name} 새이름`]);
    expect(await within(100, async () => (await names(other.app))[1] === `${cinema.name} 새이름`)).toBeLessThanOrEqual(100);
  });

  it('a cinema’s detail follows its reviews and its row on the next read here and within 100 ms in the other process', async () => {
    const cinemaRepo = ctx.rt.ds.getRepository(Cinema);
    const cinema = await cinemaRepo.save(cinemaRepo.create({ region: '서울', area: '종로구', name: uniqueName('상세시네마'), address: '서울 종로구', x: 126.98, y: 37.57, type: 'CGV', tel: null, img: null, url: null }));
    const member = await signupAndLogin(ctx.app);
    const reviewer = await signupAndLogin(ctx.app);
    const read = async (app: Express) => (await request(app).get(`/cinema/${cinema.id}/`).set(auth(member.token)).expect(200)).body as { name: string; score: number; has_score: boolean; cinema_ratings: Array<{ comment: string }>; onscreens: unknown[] };
    for (const app of [ctx.app, other.app]) expect(await read(app)).toEqual(expect.objectContaining({ score: 0, has_score: false, cinema_ratings: [], onscreens: [] }));
    const hits = other.rt.services.cinemas.detailCache.hits;
    await read(other.app);
    expect(other.rt.services.cinemas.detailCache.hits).toBeGreaterThan(hits);

    // Another member's review: here at once, there within 100 ms (the member's own has_score stays false).
    await request(ctx.app).post('/cinema/rating/').set(auth(reviewer.token)).send({ cinema: cinema.id, score: 4, comment: '좋아요' }).expect(201);
    expect(await read(ctx.app)).toEqual(expect.objectContaining({ score: 4, has_score: false, cinema_ratings: [expect.objectContaining({ comment: '좋아요' })] }));
    expect(await within(100, async () => (await read(other.app)).cinema_ratings.length === 1)).toBeLessThanOrEqual(100);
    // The member's own review: has_score.
    const mine = await request(other.app).post('/cinema/rating/').set(auth(member.token)).send({ cinema: cinema.id, score: 2, comment: '별로' }).expect(201);
    expect(await read(other.app)).toEqual(expect.objectContaining({ score: 3, has_score: true }));
    await within(100, async () => (await read(ctx.app)).cinema_ratings.length === 2);
    // has_score comes from the member's kept read state: dropped by their review here and there.
    await within(100, async () => (await read(ctx.app)).has_score === true);
    await request(ctx.app).delete(`/cinema/rating/${mine.body.id}/`).set(auth(member.token)).expect(204);
    expect(await read(ctx.app)).toEqual(expect.objectContaining({ score: 4, has_score: false }));
    await within(100, async () => (await read(other.app)).has_score === false);
    await request(ctx.app).post('/cinema/rating/').set(auth(member.token)).send({ cinema: cinema.id, score: 2, comment: '별로' }).expect(201);
    expect(await read(ctx.app)).toEqual(expect.objectContaining({ score: 3, has_score: true }));
    await within(100, async () => (await read(other.app)).has_score === true);

    // The row, through the service the panel uses.
    await ctx.rt.services.cinemas.saveCinema(null, cinema.id, { region: '서울', area: '종로구', name: `${cinema.name} 새이름`, address: '서울 종로구', x: 126.98, y: 37.57, type: 'CGV' } as never);
    expect((await read(ctx.app)).name).toBe(`${cinema.name} 새이름`);
    await within(100, async () => (await read(other.app)).name === `${cinema.name} 새이름`);
  });

  it('the search page’s movie lists follow a new movie and a pick on the next read here and within 100 ms in the other process', async () => {
    const { addDays } = await import('../../src/modules/cinemas/local-time.js');
    const member = await signupAndLogin(ctx.app);
    const soon = async (app: Express) => ((await request(app).get('/search/').set(auth(member.token)).expect(200)).body.comming_soon as Array<{ id: number; pick_users_count: number }>);
    await soon(ctx.app);
    await soon(other.app);
    const hits = ctx.rt.services.search.homeCache.hits;
    await soon(ctx.app);
    expect(ctx.rt.services.search.homeCache.hits).toBeGreaterThan(hits);

    const g = await newGenre();
    const openDate = addDays(ctx.rt.services.cinemas.calendar.today(), 1);
    const id = await newMovie(g, { open_date: openDate });
    expect((await soon(ctx.app)).map((m) => m.id)).toContain(id);
    await within(100, async () => (await soon(other.app)).some((m) => m.id === id));

    await request(ctx.app).patch(`/movie/${id}/pick/`).set(auth(member.token)).send({}).expect(200);
    expect((await soon(ctx.app)).find((m) => m.id === id)?.pick_users_count).toBe(1);
    await within(100, async () => (await soon(other.app)).find((m) => m.id === id)?.pick_users_count === 1);
  });

  it('sees a new movie in a genre page within 100 ms', async () => {
    const g = await newGenre();
    await newMovie(g);
    const page = async () => (await request(other.app).get(`/movie/genres/${g}/movies/`).expect(200)).body;
    expect((await page()).count).toBe(1);
    await page();
    const id = await newMovie(g, { open_date: '2030-01-01' });
    await within(100, async () => {
      const p = await page();
      return p.count === 2 && p.results[0].id === id;
    });
  });

  it('clears the other process’s search answers within 100 ms', async () => {
    const g = await newGenre();
    const name = uniqueName('검색캐시');
    const id = await newMovie(g, { name });
    const search = async () => (await request(other.app).get(`/search/movie/${encodeURIComponent(name)}/`).expect(200)).body;
    expect((await search()).search_result.map((m: { id: number }) => m.id)).toContain(id);
    await search();
    await request(ctx.app).put(`/movie/genres/${g}/movies/${id}/`).set(auth(await staffToken('catalog'))).send({ name: '완전히 다른 제목', watch_grade: '12세 관람가' }).expect(200);
    await within(100, async () => !(await search()).search_result.some((m: { id: number }) => m.id === id));
    // Its terms in memory follow too: the new title is found there, by prefix and by autocomplete.
    await within(100, async () => (await request(other.app).get(`/search/movie/${encodeURIComponent('완전히 다른')}/`).expect(200)).body.search_result.some((m: { id: number }) => m.id === id));
    expect((await request(other.app).get('/search/movie/').query({ words: '완전히 다른 제' }).expect(200)).body).toContain('완전히 다른 제목');
  });

  it('the search page’s nearby cinemas follow a cinema saved, moved and deleted here, and within 100 ms in the other process', async () => {
    const member = await signupAndLogin(ctx.app);
    const at = { x: 128.601, y: 35.871 };
    const near = async (app: Express) => ((await request(app).get('/search/').query({ x: String(at.x), y: String(at.y) }).set(auth(member.token)).expect(200)).body.near_cinema as Array<{ id: number; distance: number }>);
    for (const app of [ctx.app, other.app]) await near(app);
    const input = { region: '대구', area: '중구', name: uniqueName('근처시네마'), address: '대구 중구', x: at.x, y: at.y + 0.009, type: 'CGV' } as const;
    const saved = await ctx.rt.services.cinemas.saveCinema(null, null, input as never);
    expect((await near(ctx.app)).map((c) => c.id)).toContain(saved.id);
    await within(100, async () => (await near(other.app)).some((c) => c.id === saved.id));
    // Moved 5 km away: gone from both.
    await ctx.rt.services.cinemas.saveCinema(null, saved.id, { ...input, y: at.y + 0.045 } as never);
    expect((await near(ctx.app)).map((c) => c.id)).not.toContain(saved.id);
    await within(100, async () => !(await near(other.app)).some((c) => c.id === saved.id));
    await ctx.rt.services.cinemas.saveCinema(null, saved.id, input as never);
    await within(100, async () => (await near(other.app)).some((c) => c.id === saved.id));
    await ctx.rt.services.cinemas.deleteCinema(null, saved.id);
    expect((await near(ctx.app)).map((c) => c.id)).not.toContain(saved.id);
    await within(100, async () => !(await near(other.app)).some((c) => c.id === saved.id));
  });
});

describe('is_showing from the kept booking-window movie set', () => {
  it('a showtime added in the panel shows on the next read here and within 100 ms in the other process', async () => {
    const g = await newGenre();
    const id = await newMovie(g);
    const cinemaRepo = ctx.rt.ds.getRepository(Cinema);
    const cinema = await cinemaRepo.save(cinemaRepo.create({ region: '서울', area: '강남구', name: uniqueName('캐시시네마'), address: '서울 강남구', x: 127.02, y: 37.5, type: 'CGV', tel: null, img: null, url: null }));
    expect((await detail(ctx.app, id).expect(200)).body.is_showing).toBe(false);
    expect((await detail(other.app, id).expect(200)).body.is_showing).toBe(false);
    const panel = await panelAs('catalog');
    const created = await panel.post(`${panelApi}/showtimes/actions/new`).send({ cinemaId: String(cinema.id), movieId: String(id), date: ctx.rt.services.cinemas.calendar.today(), startTime: '23:59', info: '1관' });
    expect(created.body.notice.type).toBe('success');
    expect((await detail(ctx.app, id).expect(200)).body.is_showing).toBe(true);
    await within(100, async () => (await detail(other.app, id)).body.is_showing === true);
  });
});

describe('the age gate and members’ fields are never taken from the cache', () => {
  it('an adult-only movie read by an adult is still 403 for anonymous and unverified callers, and left out of their genre page', async () => {
    const g = await newGenre();
    const adultOnly = await newMovie(g, { watch_grade: '청소년 관람불가' });
    const adult = await signupAndLogin(ctx.app);
    expect((await verifyAge(ctx.app, ctx.config, adult.token, birthDateYearsAgo(30))).body).toEqual({ status: 'verified' });
    await detail(ctx.app, adultOnly, adult.token).expect(200);
    await detail(ctx.app, adultOnly, adult.token).expect(200);
    expect((await request(ctx.app).get(`/movie/genres/${g}/movies/`).set(auth(adult.token)).expect(200)).body.count).toBe(1);

    await detail(ctx.app, adultOnly).expect(403);
    const unverified = await signupAndLogin(ctx.app);
    await detail(ctx.app, adultOnly, unverified.token).expect(403);
    const anonPage = await request(ctx.app).get(`/movie/genres/${g}/movies/`);
    expect(anonPage.status === 404 || anonPage.body.count === 0).toBe(true);
    // And again in the other process, warmed by the adult.
    await detail(other.app, adultOnly, adult.token).expect(200);
    await detail(other.app, adultOnly).expect(403);
  });

  it('one member’s pick and rating never show in another member’s or an anonymous detail', async () => {
    const g = await newGenre();
    const id = await newMovie(g);
    const a = await signupAndLogin(ctx.app);
    const b = await signupAndLogin(ctx.app);
    await request(ctx.app).patch(`/movie/${id}/pick/`).set(auth(a.token)).send('1').expect(200);
    await request(ctx.app).post('/movie/rating/').set(auth(a.token)).send({ movie: id, score: 5 }).expect(201);
    const mine = (await detail(ctx.app, id, a.token).expect(200)).body;
    expect([mine.pick_movies, mine.has_score]).toEqual([true, true]);
    const theirs = (await detail(ctx.app, id, b.token).expect(200)).body;
    expect([theirs.pick_movies, theirs.has_score]).toEqual([false, false]);
    const anon = (await detail(ctx.app, id).expect(200)).body;
    expect([anon.pick_movies, anon.has_score, anon.predicted_score, anon.recommend_movies]).toEqual([false, false, 0, []]);
    expect((await detail(ctx.app, id, a.token).expect(200)).body.pick_movies).toBe(true);
  });
});

describe('ETag and Cache-Control', () => {
  it('answers 304 to a matching If-None-Match and changes the ETag when the movie changes', async () => {
    const g = await newGenre();
    const id = await newMovie(g);
    const first = await detail(ctx.app, id).expect(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"/);
    expect(first.headers['cache-control']).toBe('public, no-cache');
    expect(first.headers.vary).toMatch(/Authorization/);
    await request(ctx.app).get(`/movie/${id}/`).set('If-None-Match', etag).expect(304);

    await request(ctx.app).put(`/movie/genres/${g}/movies/${id}/`).set(auth(await staffToken('catalog'))).send({ name: 'ETag 후', watch_grade: '12세 관람가' }).expect(200);
    const changed = await request(ctx.app).get(`/movie/${id}/`).set('If-None-Match', etag).expect(200);
    expect(changed.body.name).toBe('ETag 후');
    expect(changed.headers.etag).not.toBe(etag);
    // The same content in the other process has the same ETag (a load balancer may switch replicas).
    await within(100, async () => (await detail(other.app, id)).headers.etag === changed.headers.etag);

    const member = await signupAndLogin(ctx.app);
    const mine = await detail(ctx.app, id, member.token).expect(200);
    expect(mine.headers['cache-control']).toBe('private, no-cache');
    // A member's answer (sent as its parts): its length, a 304 on its ETag, HEAD without a body, another ETag once picked.
    expect(Number(mine.headers['content-length'])).toBe(Buffer.byteLength(mine.text));
    expect(mine.body.pick_movies).toBe(false);
    await request(ctx.app).get(`/movie/${id}/`).set(auth(member.token)).set('If-None-Match', mine.headers.etag as string).expect(304);
    const head = await request(ctx.app).head(`/movie/${id}/`).set(auth(member.token)).expect(200);
    expect(head.headers['content-length']).toBe(mine.headers['content-length']);
    expect(head.headers.etag).toBe(mine.headers.etag);
    await request(ctx.app).patch(`/movie/${id}/pick/`).set(auth(member.token)).expect(200);
    const picked = await request(ctx.app).get(`/movie/${id}/`).set(auth(member.token)).set('If-None-Match', mine.headers.etag as string).expect(200);
    expect(picked.body.pick_movies).toBe(true);
    expect(picked.headers.etag).not.toBe(mine.headers.etag);
    const genrePage = await request(ctx.app).get(`/movie/genres/${g}/movies/`).expect(200);
    expect(genrePage.headers['cache-control']).toBe('public, no-cache');
    await request(ctx.app).get(`/movie/genres/${g}/movies/`).set('If-None-Match', genrePage.headers.etag as string).expect(304);
  });
});
