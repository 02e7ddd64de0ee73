// Seed 004 "Search" against live MariaDB/Redis: the search page (near cinemas within 2 km by
// haversine distance, popular movies now showing, coming soon with pick counts) and the cinema
// search by area (autocomplete, area results and disjoint name results, Korean in the path).
import request from 'supertest';
import type { Express } from 'express';
import { Movie } from '../../src/modules/catalog/movie.entity.js';
import { Cinema, Showtime } from '../../src/modules/cinemas/cinema.entities.js';
import { addDays, addMonths } from '../../src/modules/cinemas/local-time.js';
import { saveCinema } from '../support/cinemas.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { signupAndLogin, uniqueName } from '../support/users.js';

let ctx: TestContext & { app: Express };
let token: string;
const auth = () => ({ Authorization: `JWT ${token}` });
const repo = <T extends object>(e: new () => T) => ctx.rt.ds.getRepository(e);
const today = () => ctx.rt.services.cinemas.calendar.today();
const M_PER_DEG = (6_371_000 * Math.PI) / 180;

async function cinema(over: Partial<Cinema>): Promise<Cinema> {
  return saveCinema(ctx.rt, { region: '서울', area: '중구', name: uniqueName('극장'), address: '서울', x: 126.9, y: 37.5, type: '기타', img: null, ...over });
}
async function movie(over: Partial<Movie> = {}): Promise<Movie> {
  return repo(Movie).save(repo(Movie).create({ name: uniqueName('영화'), ...over }));
}
let slot = 0;
async function show(c: Cinema, m: Movie, date = today()) {
  slot++;
  await repo(Showtime).save(repo(Showtime).create({ cinemaId: c.id, movieId: m.id, date, startTime: `${String(slot % 24).padStart(2, '0')}:${String(slot % 60).padStart(2, '0')}:00`, info: `${slot}관` }));
  // A fixture row written past the product's write paths: tell the kept booking-window movie set, as they do.
  ctx.rt.services.cinemas.showtimesChanged();
}

beforeAll(async () => {
  ctx = await createTestApp();
  token = (await signupAndLogin(ctx.app)).token;
});
afterAll(async () => {
  await ctx.close();
});

describe('GET search/', () => {
  it('needs a login, and x/y are both given or both left out', async () => {
    expect((await request(ctx.app).get('/search/')).status).toBe(401);
    const onlyX = await request(ctx.app).get('/search/').query({ x: '127.03' }).set(auth());
    expect(onlyX.status).toBe(400);
    expect(onlyX.body).toEqual({ y: ['이 필드는 필수 항목입니다.'] });
    expect((await request(ctx.app).get('/search/').query({ x: 'abc', y: '37.5' }).set(auth())).body).toEqual({ x: ['유효한 숫자를 넣어주세요.'] });
    const noPosition = await request(ctx.app).get('/search').set(auth());
    expect(noPosition.status).toBe(200);
    expect(noPosition.body.near_cinema).toEqual([]);
    expect(noPosition.body.meta.near_cinema).toBe(0);
  });

  it('near_cinema: within 2 km by great-circle distance (1.9 km in, 2.1 km out), nearest first', async () => {
    const p = { x: 128.6, y: 35.87 };
    const perLng = M_PER_DEG * Math.cos((p.y * Math.PI) / 180);
    const south19 = await cinema({ name: '남쪽 1.9km', x: p.x, y: p.y - 1900 / M_PER_DEG });
    await cinema({ name: '북쪽 2.1km', x: p.x, y: p.y + 2100 / M_PER_DEG });
    await cinema({ name: '서쪽 2.1km', x: p.x - 2100 / perLng, y: p.y });
    // Inside the bounding box but outside the circle: 1.5 km north and 1.5 km east ≈ 2.12 km.
    await cinema({ name: '북동 2.12km', x: p.x + 1500 / perLng, y: p.y + 1500 / M_PER_DEG });
    const near = await cinema({ name: '동쪽 0.3km', x: p.x + 300 / perLng, y: p.y, tel: '02-1234-5678', url: 'https://example.com/c' });
    const res = await request(ctx.app).get('/search/').query({ x: String(p.x), y: String(p.y) }).set(auth());
    expect(res.status).toBe(200);
    // Joined from kept UTF-8 parts: exactly what JSON.stringify writes, keys in the seed's order.
    expect(res.text).toBe(JSON.stringify(res.body));
    expect(Object.keys(res.body)).toEqual(['meta', 'near_cinema', 'popular_movies', 'comming_soon']);
    expect(res.body.meta.near_cinema).toBe(2);
    expect(res.body.near_cinema).toEqual([
      { id: near.id, name: '동쪽 0.3km', type: '기타', img: null, address: '서울', tel: '02-1234-5678', x: String(near.x), y: String(near.y), url: 'https://example.com/c', distance: 300 },
      expect.objectContaining({ id: south19.id, distance: 1900 }),
    ]);
  });

  it('popular_movies: the 10 most-rated movies with a showtime today … today+2, in the seed shape', async () => {
    const c = await cinema({ x: 129.5, y: 36.5 });
    const showing: Movie[] = [];
    for (let i = 0; i < 11; i++) {
      const m = await movie({ ratingCount: 100 + i * 10, ratingSumHalf: (100 + i * 10) * 7, nameEng: `Movie ${i}`, poster: `https://img.example.com/${i}.jpg`, watchGrade: '15세 관람가' });
      await show(c, m, addDays(today(), i % 3));
      showing.push(m);
    }
    const notShowing = await movie({ ratingCount: 5000, ratingSumHalf: 40000 });
    const later = await movie({ ratingCount: 4000, ratingSumHalf: 30000 });
    await show(c, later, addDays(today(), 3));
    const res = await request(ctx.app).get('/search/').set(auth());
    expect(res.body.meta.popular_movies).toBe(10);
    const expected = [...showing].reverse().slice(0, 10);
    expect(res.body.popular_movies.map((m: { id: number }) => m.id)).toEqual(expected.map((m) => m.id));
    expect(res.body.popular_movies[0]).toEqual({ id: expected[0].id, name: expected[0].name, name_eng: 'Movie 10', poster: 'https://img.example.com/10.jpg', watch_grade: '15세 관람가', score: 3.5, ratings_count: 200 });
    const ids = res.body.popular_movies.map((m: { id: number }) => m.id);
    expect(ids).not.toContain(notShowing.id);
    expect(ids).not.toContain(later.id);
  });

  it('comming_soon: movies opening after today and within a month, soonest first, with pick counts and credits', async () => {
    const t = today();
    const genre = await ctx.rt.services.catalog.createGenre(uniqueName('장르'), null);
    const created = await ctx.rt.services.catalog.createMovie(
      { name: '다음 주 개봉', openDate: addDays(t, 7), runningTime: 124, watchGrade: '12세 관람가', genreIds: [genre.id], directors: ['쥬세페 토르나토레'], actors: ['브리지트 포시', '필립 느와레'] },
      null,
    );
    const soon = created.movie;
    const tomorrow = await movie({ name: '내일 개봉', openDate: addDays(t, 1) });
    const edge = await movie({ name: '한 달 뒤 개봉', openDate: addMonths(t, 1) });
    await movie({ name: '오늘 개봉', openDate: t });
    await movie({ name: '한 달 하루 뒤', openDate: addDays(addMonths(t, 1), 1) });
    await movie({ name: '지난 개봉', openDate: addDays(t, -3) });
    const fans = await Promise.all([signupAndLogin(ctx.app), signupAndLogin(ctx.app)]);
    for (const f of fans) await request(ctx.app).patch(`/movie/${soon.id}/pick/`).set({ Authorization: `JWT ${f.token}` }).expect(200);
    const res = await request(ctx.app).get('/search/').set(auth());
    expect(res.status).toBe(200);
    expect(res.body.comming_soon.map((m: { id: number }) => m.id)).toEqual([tomorrow.id, soon.id, edge.id]);
    expect(res.body.meta.comming_soon).toBe(3);
    expect(res.body.comming_soon[1]).toEqual({
      id: soon.id,
      name: '다음 주 개봉',
      poster: '', // a movie without a poster: "" (issue 15; the seed client's image component breaks on null)
      watch_grade: '12세 관람가',
      open_date: addDays(t, 7),
      running_time: '124분',
      pick_users_count: 2,
      genres: [genre.name],
      directors: ['쥬세페 토르나토레'],
      actors: ['브리지트 포시', '필립 느와레'],
    });
    expect(res.body.comming_soon[0].pick_users_count).toBe(0);
  });
});

describe('GET search/cinema/', () => {
  beforeAll(async () => {
    const spots: Array<Partial<Cinema>> = [
      { name: 'CGV 신촌아트레온', area: '서대문구', type: 'CGV', address: '서울 서대문구 신촌로 129' },
      { name: '메가박스 신촌', area: '서대문구', type: '메가박스', address: '서울 서대문구 신촌역로 30' },
      { name: '필름포럼', area: '서대문구', type: '기타', address: '서울 서대문구 성산로 527', img: 'http://www.filmforum.kr/img/filmforum/mv01.jpg' },
      { name: '서대문 시네마', area: '종로구', type: '기타', address: '서울 종로구' },
      { name: 'CGV강남', area: '강남구', type: 'CGV' },
      { name: 'CGV 강서', area: '강서구', type: 'CGV' },
      { name: '메가박스 강동', area: '강동구', type: '메가박스' },
      { name: '한강 극장', area: '용강구', type: '기타' },
      { name: '100% 극장', area: '중랑구', type: '기타' },
    ];
    for (const s of spots) await cinema({ ...s, x: 126.1, y: 37.0 });
  });

  it('autocompletes areas: those starting with the words first, then those containing them', async () => {
    const res = await request(ctx.app).get('/search/cinema/').query({ words: '강' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(['강남구', '강동구', '강서구', '용강구']);
    expect((await request(ctx.app).get('/search/cinema').query({ words: '서대문' })).body).toEqual(['서대문구']);
    expect((await request(ctx.app).get('/search/cinema/').query({ words: '없는구' })).body).toEqual([]);
    expect((await request(ctx.app).get('/search/cinema/').query({ words: '%' })).body).toEqual([]);
    const missing = await request(ctx.app).get('/search/cinema/');
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ words: ['이 필드는 필수 항목입니다.'] });
  });

  it('search/cinema/{words}/: the area’s cinemas, and other cinemas whose name matches (disjoint), Korean percent-encoded', async () => {
    const byArea = await request(ctx.app).get(`/search/cinema/${encodeURIComponent('서대문')}/`);
    expect(byArea.status).toBe(200);
    expect(byArea.body.meta).toEqual({ search_result: 3, similar_result: 1 });
    expect(byArea.body.search_result.map((c: { name: string }) => c.name)).toEqual(['CGV 신촌아트레온', '메가박스 신촌', '필름포럼']);
    expect(byArea.body.search_result[2]).toEqual({ id: expect.any(Number), name: '필름포럼', address: '서울 서대문구 성산로 527', type: '기타', img: 'http://www.filmforum.kr/img/filmforum/mv01.jpg' });
    expect(byArea.body.similar_result.map((c: { name: string }) => c.name)).toEqual(['서대문 시네마']);

    const sinchon = await request(ctx.app).get(`/search/cinema/${encodeURIComponent('신촌')}`);
    expect(sinchon.body).toEqual({
      meta: { search_result: 0, similar_result: 2 },
      search_result: [],
      similar_result: [
        expect.objectContaining({ name: 'CGV 신촌아트레온', type: 'CGV', address: '서울 서대문구 신촌로 129' }),
        expect.objectContaining({ name: '메가박스 신촌', type: '메가박스' }),
      ],
    });
    // Spaces do not matter in names; LIKE wildcards are literal.
    expect((await request(ctx.app).get(`/search/cinema/${encodeURIComponent('CGV 강남')}/`)).body.similar_result.map((c: { name: string }) => c.name)).toEqual(['CGV강남']);
    expect((await request(ctx.app).get(`/search/cinema/${encodeURIComponent('100%')}/`)).body.similar_result.map((c: { name: string }) => c.name)).toEqual(['100% 극장']);
    expect((await request(ctx.app).get(`/search/cinema/${encodeURIComponent('_')}/`)).body.meta).toEqual({ search_result: 0, similar_result: 0 });
    expect((await request(ctx.app).get(`/search/cinema/${'가'.repeat(101)}/`)).status).toBe(400);
  });
});
