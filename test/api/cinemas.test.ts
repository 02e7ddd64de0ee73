// Seed 004 cinema endpoints against live MariaDB/Redis: the map box and centre (2 km haversine
// boundary), showtimes in the 3-day window, the detail, favourites, cinema reviews (rules,
// messages, exact counters under concurrency), the cinemas showing a movie, the demo seed from the
// repository's data/demo/, and the showtime CSV import (service and admin action).
import request from 'supertest';
import type { Express } from 'express';
import { ConfigError, loadConfig } from '../../src/config.js';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity.js';
import { Movie } from '../../src/modules/catalog/movie.entity.js';
import { Cinema, CinemaRating, Showtime } from '../../src/modules/cinemas/cinema.entities.js';
import { addDays } from '../../src/modules/cinemas/local-time.js';
import { saveCinema } from '../support/cinemas.js';
import { createTestApp, createTestContext, type TestContext } from '../support/context.js';
import { createStaff, signupAndLogin, uniqueName } from '../support/users.js';
import { panelAgent } from '../support/panel.js';
import { answered } from '../support/errors.js';
import { birthDateYearsAgo, verifyAge } from '../support/age.js';
import { csvSkipReason } from '../../admin/resources/cinemas.js';

let ctx: TestContext & { app: Express };
const auth = (token: string) => ({ Authorization: `JWT ${token}` });
const repo = <T extends object>(e: new () => T) => ctx.rt.ds.getRepository(e);
const today = () => ctx.rt.services.cinemas.calendar.today();
/** Metres per degree of latitude on the haversine sphere (R = 6,371 km). */
const M_PER_DEG = (6_371_000 * Math.PI) / 180;

let seq = 0;
async function cinema(over: Partial<Cinema> = {}): Promise<Cinema> {
  seq++;
  return saveCinema(ctx.rt, {
    region: '서울',
    area: '강남구',
    name: `시네마${seq}`,
    address: '서울 강남구 강남대로 438',
    x: 127.0 + seq * 0.001,
    y: 37.4,
    type: 'CGV',
    tel: '1544-1122',
    img: 'http://img.cgv.co.kr/x.jpg',
    url: 'http://www.cgv.co.kr/theaters/?theaterCode=0056',
    ...over,
  });
}
async function movie(over: Partial<Movie> = {}): Promise<Movie> {
  return repo(Movie).save(repo(Movie).create({ name: uniqueName('영화'), runningTime: 109, watchGrade: '12세 관람가', poster: 'https://img.example.com/p.jpg', ...over }));
}
async function showtime(c: Cinema, m: Movie, over: Partial<Showtime> = {}): Promise<Showtime> {
  const saved = await repo(Showtime).save(repo(Showtime).create({ cinemaId: c.id, movieId: m.id, date: today(), startTime: '18:30:00', endTime: '20:00:00', info: '3관', totalSeats: 53, seats: 14, url: 'https://www.megabox.co.kr/booking/seat?no=1', ...over }));
  // A fixture row written past the product's write paths: tell the kept booking-window movie set, as they do.
  ctx.rt.services.cinemas.showtimesChanged();
  return saved;
}

beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => {
  await ctx.close();
});

describe('GET cinema/map/ (bounding box)', () => {
  it('answers the cinemas inside the box in the seed shape, coordinates as the seed’s strings', async () => {
    const coex = await cinema({ name: '메가박스 코엑스', type: '메가박스', x: 127.058215118259, y: 37.5130779481089, address: '서울 강남구 영동대로 513', tel: '1544-0070', img: 'https://image2.megabox.co.kr/mop/home/appbunpage/URLVIEW.jpg', url: 'https://www.megabox.co.kr/theater/time?brchNo=1351' });
    await cinema({ x: 127.2, y: 37.6 }); // outside
    const res = await request(ctx.app).get('/cinema/map/').query({ x1: '127.05', y1: '37.51', x2: '127.06', y2: '37.52' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      meta: { total: 1 },
      documents: [
        { id: coex.id, name: '메가박스 코엑스', type: '메가박스', img: 'https://image2.megabox.co.kr/mop/home/appbunpage/URLVIEW.jpg', address: '서울 강남구 영동대로 513', tel: '1544-0070', x: '127.058215118259', y: '37.5130779481089', url: 'https://www.megabox.co.kr/theater/time?brchNo=1351' },
      ],
    });
    // corners in the other order, no trailing slash
    const swapped = await request(ctx.app).get('/cinema/map').query({ x1: '127.06', y1: '37.52', x2: '127.05', y2: '37.51' });
    expect(swapped.body.documents.map((d: { id: number }) => d.id)).toEqual([coex.id]);
  });

  it('names a missing or non-numeric corner, and refuses a box wider than MAP_MAX_BOX_DEGREES (0.5)', async () => {
    const missing = await request(ctx.app).get('/cinema/map/').query({ x1: '127', y1: '37', y2: '37.1' });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ x2: ['이 필드는 필수 항목입니다.'] });
    const nan = await request(ctx.app).get('/cinema/map/').query({ x1: '127', y1: 'abc', x2: '127.1', y2: '37.1' });
    expect(nan.body).toEqual({ y1: ['유효한 숫자를 넣어주세요.'] });
    const outOfRange = await request(ctx.app).get('/cinema/map/').query({ x1: '127', y1: '91', x2: '127.1', y2: '37.1' });
    expect(outOfRange.body).toEqual({ y1: ['이 값이 90보다 작거나 같은지 확인하십시오.'] });
    const wide = await request(ctx.app).get('/cinema/map/').query({ x1: '126.5', y1: '37.4', x2: '127.01', y2: '37.5' });
    expect(wide.status).toBe(400);
    expect(wide.body).toEqual({ non_field_errors: ['지도 범위가 너무 넓습니다. 경도와 위도 범위를 각각 0.5도 이하로 요청하세요.'] });
    expect((await request(ctx.app).get('/cinema/map/').query({ x1: '126.5', y1: '37.4', x2: '127', y2: '37.9' })).status).toBe(200);
  });

  it('reads MAP_MAX_BOX_DEGREES and SERVICE_TIME_ZONE from the environment, refusing bad values', () => {
    const base = { NODE_ENV: 'test', DATA_DIR: '/tmp/mq-cinema-config', JWT_SECRET: 'x'.repeat(32), SESSION_SECRET: 'y'.repeat(32) };
    expect(loadConfig(base).mapMaxBoxDegrees).toBe(0.5);
    expect(loadConfig(base).serviceTimeZone).toBe('Asia/Seoul');
    expect(loadConfig({ ...base, MAP_MAX_BOX_DEGREES: '0.25' }).mapMaxBoxDegrees).toBe(0.25);
    expect(() => loadConfig({ ...base, MAP_MAX_BOX_DEGREES: 'wide' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, SERVICE_TIME_ZONE: 'Mars/Olympus' })).toThrow(/SERVICE_TIME_ZONE/);
  });
});

describe('GET cinema/map/center/ (2 km)', () => {
  it('keeps a cinema 1.9 km away and drops one 2.1 km away, nearest first', async () => {
    const p = { x: 126.55, y: 33.45 };
    const north19 = await cinema({ name: '북쪽 1.9km', x: p.x, y: p.y + 1900 / M_PER_DEG });
    const east21 = await cinema({ name: '동쪽 2.1km', x: p.x + 2100 / (M_PER_DEG * Math.cos((p.y * Math.PI) / 180)), y: p.y });
    const near05 = await cinema({ name: '서쪽 0.5km', x: p.x - 500 / (M_PER_DEG * Math.cos((p.y * Math.PI) / 180)), y: p.y });
    const res = await request(ctx.app).get('/cinema/map/center/').query({ x: String(p.x), y: String(p.y) });
    expect(res.status).toBe(200);
    expect(res.body.meta).toEqual({ total: 2 });
    expect(res.body.documents.map((d: { id: number }) => d.id)).toEqual([near05.id, north19.id]);
    expect(res.body.documents[1]).toEqual(expect.objectContaining({ name: '북쪽 1.9km', x: String(north19.x), distance: 1900 }));
    expect(res.body.documents.some((d: { id: number }) => d.id === east21.id)).toBe(false);
    expect((await request(ctx.app).get('/cinema/map/center/').query({ x: String(p.x) })).body).toEqual({ y: ['이 필드는 필수 항목입니다.'] });
  });
});

describe('GET cinema/map/{id}/movie/ (the 3-day window)', () => {
  it('lists a day’s showtimes from a start time on, soonest first, in the seed shape', async () => {
    const c = await cinema();
    const m = await movie({ name: '지오스톰', runningTime: 109, watchGrade: '12세 관람가' });
    const tomorrow = addDays(today(), 1);
    await showtime(c, m, { date: tomorrow, startTime: '21:00:00', info: '1관' });
    const first = await showtime(c, m, { date: tomorrow, startTime: '18:30:00', endTime: '20:00:00', info: '3관' });
    await showtime(c, m, { date: tomorrow, startTime: '09:00:00', info: '3관' });
    const res = await request(ctx.app).get(`/cinema/map/${c.id}/movie/`).query({ date: tomorrow, start_time: '18:00' });
    expect(res.status).toBe(200);
    expect(res.body.meta).toEqual({ total: 2 });
    expect(res.body.documents[0]).toEqual({
      movie: { id: m.id, name: '지오스톰', poster: 'https://img.example.com/p.jpg', genres: [], running_time: '109분', watch_grade: '12세 관람가' },
      info: '3관',
      date: tomorrow,
      start_time: '18:30:00',
      end_time: '20:00:00',
      total_seats: '53',
      seats: '14',
      url: first.url,
    });
    expect(res.body.documents[1].start_time).toBe('21:00:00');
    // A later day without start_time starts at midnight.
    expect((await request(ctx.app).get(`/cinema/map/${c.id}/movie`).query({ date: tomorrow })).body.meta.total).toBe(3);
  });

  it('defaults to today from now on', async () => {
    const c = await cinema();
    const m = await movie();
    const now = ctx.rt.services.cinemas.calendar.now();
    await showtime(c, m, { startTime: '23:59:59', info: 'late' });
    await showtime(c, m, { date: addDays(today(), 1), startTime: '10:00:00' });
    // A showtime at midnight has started unless the test runs in the very first second of the day.
    if (now.time > '00:00:00') await showtime(c, m, { startTime: '00:00:00', info: 'early' });
    const res = await request(ctx.app).get(`/cinema/map/${c.id}/movie/`);
    expect(res.status).toBe(200);
    expect(res.body.documents.map((d: { info: string; date: string }) => [d.info, d.date])).toEqual([['late', today()]]);
  });

  it('refuses dates outside today … today+2 and bad formats, naming the parameter; 404 for an unknown cinema', async () => {
    const c = await cinema();
    const from = today();
    const to = addDays(from, 2);
    expect((await request(ctx.app).get(`/cinema/map/${c.id}/movie/`).query({ date: to })).status).toBe(200);
    for (const date of [addDays(from, 3), addDays(from, -1)]) {
      const res = await request(ctx.app).get(`/cinema/map/${c.id}/movie/`).query({ date });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ date: [`상영 시간표는 ${from}부터 ${to}까지만 조회할 수 있습니다.`] });
    }
    expect((await request(ctx.app).get(`/cinema/map/${c.id}/movie/`).query({ date: '2020-13-01' })).body).toEqual({ date: ['날짜 형식이 잘못되었습니다. 이 형식들 중 한가지를 사용하세요: YYYY-MM-DD.'] });
    expect((await request(ctx.app).get(`/cinema/map/${c.id}/movie/`).query({ start_time: '25:00' })).body).toEqual({ start_time: ['시간(Time) 형식이 잘못되었습니다. 이 형식들 중 한가지를 사용하세요: hh:mm[:ss].'] });
    const missing = await request(ctx.app).get('/cinema/map/99999999/movie/');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ detail: '영화관을 찾을 수 없습니다.' });
  });
});

describe('GET cinema/{id}/ and the pick toggle', () => {
  it('answers the detail: score, has_score, pick_cinemas, today’s remaining showtimes, latest 10 reviews', async () => {
    const c = await cinema({ name: 'CGV강남', publicTransport: '# 지하철\n2호선 | 강남역 11번 출구', parking: '# 주차정보' });
    const m = await movie();
    await showtime(c, m, { startTime: '23:59:59' });
    await showtime(c, m, { date: addDays(today(), 1), startTime: '10:00:00' }); // not today
    const me = await signupAndLogin(ctx.app);
    expect((await request(ctx.app).get(`/cinema/${c.id}/`)).status).toBe(401);
    const before = await request(ctx.app).get(`/cinema/${c.id}/`).set(auth(me.token));
    expect(before.status).toBe(200);
    expect(before.body).toEqual({
      score: 0,
      has_score: false,
      pick_cinemas: false,
      id: c.id,
      name: 'CGV강남',
      type: 'CGV',
      img: c.img,
      address: c.address,
      url: c.url,
      tel: '1544-1122',
      public: '# 지하철\n2호선 | 강남역 11번 출구',
      parking: '# 주차정보',
      onscreens: [expect.objectContaining({ date: today(), start_time: '23:59:59', movie: expect.objectContaining({ id: m.id }) })],
      cinema_ratings: [],
    });
    await request(ctx.app).post('/cinema/rating/').set(auth(me.token)).send({ cinema: c.id, score: 4, comment: 'blah' }).expect(201);
    await request(ctx.app).post(`/cinema/${c.id}/pick/`).set(auth(me.token)).expect(200);
    const after = (await request(ctx.app).get(`/cinema/${c.id}`).set(auth(me.token))).body;
    expect(after).toEqual(expect.objectContaining({ score: 4, has_score: true, pick_cinemas: true }));
    expect(after.cinema_ratings).toEqual([{ id: expect.any(Number), comment: 'blah', score: 4, updated_at: expect.stringMatching(/Z$/), user: { id: expect.any(Number), username: me.username } }]);
    const missing = await request(ctx.app).get('/cinema/99999999/').set(auth(me.token));
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ detail: '영화관을 찾을 수 없습니다.' });
  });

  it('the answer kept with the day’s detail follows each member’s flags, the age gate, a movie’s change and a showtime passing', async () => {
    const c = await cinema();
    const m = await movie();
    const adultOnly = await movie({ watchGrade: '청소년 관람불가' });
    await showtime(c, m, { startTime: '23:59:00' });
    await showtime(c, adultOnly, { startTime: '23:59:30' });
    // a picked the cinema; a2 did not (the same grades); b did not either and is a verified adult.
    const a = await signupAndLogin(ctx.app);
    const a2 = await signupAndLogin(ctx.app);
    const b = await signupAndLogin(ctx.app);
    expect((await verifyAge(ctx.app, ctx.config, b.token, birthDateYearsAgo(30))).body).toEqual({ status: 'verified' });
    await request(ctx.app).post(`/cinema/${c.id}/pick/`).set(auth(a.token)).expect(200);
    const get = (token: string) => request(ctx.app).get(`/cinema/${c.id}/`).set(auth(token)).expect(200);
    const movieIds = (body: { onscreens: Array<{ movie: { id: number } }> }) => body.onscreens.map((s) => s.movie.id);
    // Members asking in turn each get their own flags and the showtimes their age allows.
    for (let i = 0; i < 2; i++) {
      const mine = (await get(a.token)).body;
      expect([mine.pick_cinemas, movieIds(mine)]).toEqual([true, [m.id]]);
      const same = (await get(a2.token)).body;
      expect([same.pick_cinemas, movieIds(same)]).toEqual([false, [m.id]]);
      const theirs = (await get(b.token)).body;
      expect([theirs.pick_cinemas, movieIds(theirs)]).toEqual([false, [m.id, adultOnly.id]]);
    }
    const first = await get(a.token);
    expect((await request(ctx.app).get(`/cinema/${c.id}/`).set(auth(a.token)).set('If-None-Match', first.headers.etag!)).status).toBe(304);
    // A movie's change: its new name at once, and a new ETag.
    await ctx.rt.services.catalog.updateMovie(m.id, { name: '새 이름의 영화' }, null);
    const renamed = await get(a.token);
    expect(renamed.body.onscreens[0].movie.name).toBe('새 이름의 영화');
    expect(renamed.headers.etag).not.toBe(first.headers.etag);
    // The first showtime passes.
    const calendar = ctx.rt.services.cinemas.calendar;
    const now = calendar.now;
    calendar.now = () => ({ ...now.call(calendar), time: '23:59:10' });
    try {
      expect(movieIds((await get(b.token)).body)).toEqual([adultOnly.id]);
      expect(movieIds((await get(a.token)).body)).toEqual([]);
    } finally {
      calendar.now = now;
    }
    expect(movieIds((await get(a.token)).body)).toEqual([m.id]);
  });

  it('toggles with POST and PATCH with a bare `1` body (the seed’s client); GET only reads; my page gets the cards', async () => {
    const c = await cinema({ name: 'CGV 강남', x: 127.026391177132, y: 37.5016573944824 });
    const me = await signupAndLogin(ctx.app);
    expect((await request(ctx.app).get(`/cinema/${c.id}/pick/`)).status).toBe(401);
    expect((await request(ctx.app).post(`/cinema/${c.id}/pick/`)).status).toBe(401);
    // A GET never changes state: asked twice, it answers the current state twice.
    for (let i = 0; i < 2; i++) expect((await request(ctx.app).get(`/cinema/${c.id}/pick/`).set(auth(me.token))).body).toEqual({ pick_cinemas: false });
    expect((await request(ctx.app).post(`/cinema/${c.id}/pick/`).set(auth(me.token)).type('form').send('1')).body).toEqual({ pick_cinemas: true });
    expect((await request(ctx.app).get(`/cinema/${c.id}/pick/`).set(auth(me.token))).body).toEqual({ pick_cinemas: true });
    expect((await request(ctx.app).get(`/cinema/${c.id}/`).set(auth(me.token))).body.pick_cinemas).toBe(true);
    const picked = await ctx.rt.services.cinemas.pickedCinemas(await userIdOf(me.username));
    expect(picked).toEqual([{ id: c.id, name: 'CGV 강남', type: 'CGV', img: c.img, address: c.address, tel: c.tel, x: '127.026391177132', y: '37.5016573944824', url: c.url }]);
    const patched = await request(ctx.app).patch(`/cinema/${c.id}/pick/`).set(auth(me.token)).set('Content-Type', 'application/json').send('1');
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({ pick_cinemas: false });
    expect(await ctx.rt.services.cinemas.pickedCinemas(await userIdOf(me.username))).toEqual([]);
    expect((await request(ctx.app).patch(`/cinema/${c.id}/pick`).set(auth(me.token)).type('form').send('1')).body).toEqual({ pick_cinemas: true });
    expect((await request(ctx.app).get('/cinema/99999999/pick/').set(auth(me.token))).status).toBe(404);
    expect((await request(ctx.app).post('/cinema/99999999/pick/').set(auth(me.token))).status).toBe(404);
  });
});

async function userIdOf(username: string): Promise<number> {
  const rows: Array<{ id: unknown }> = await ctx.rt.ds.query('SELECT id FROM users WHERE username = ?', [username]);
  return Number(rows[0].id);
}

describe('cinema reviews', () => {
  it('POST answers the seed shape and messages (one review per member per cinema)', async () => {
    const c = await cinema();
    const { token } = await signupAndLogin(ctx.app);
    expect((await request(ctx.app).post('/cinema/rating/').send({ cinema: c.id, score: 4 })).status).toBe(401);
    const res = await request(ctx.app).post('/cinema/rating/').set(auth(token)).send({ comment: 'blah', score: 5, cinema: String(c.id) });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(Number), comment: 'blah', cinema: c.id, score: 5, created_at: expect.stringMatching(/Z$/), updated_at: expect.any(String) });
    expect((await request(ctx.app).post('/cinema/rating/').set(auth(token)).send({ score: 5 })).body).toEqual({ cinema: ['이 필드는 필수 항목입니다.'] });
    const both = await request(ctx.app).post('/cinema/rating/').set(auth(token)).send({ cinema: 999 });
    expect(both.status).toBe(400);
    expect(both.body).toEqual({ score: ['이 필드는 필수 항목입니다.'], cinema: ['유효하지 않은 pk "999" - 객체가 존재하지 않습니다.'] });
    expect((await request(ctx.app).post('/cinema/rating/').set(auth(token)).send({ cinema: 999, score: 3 })).body).toEqual({ cinema: ['유효하지 않은 pk "999" - 객체가 존재하지 않습니다.'] });
    expect((await request(ctx.app).post('/cinema/rating/').set(auth(token)).send({ cinema: c.id, score: 0 })).body).toEqual({ score: ['이 값이 0.5보다 크거나 같은지 확인하십시오.'] });
    expect((await request(ctx.app).post('/cinema/rating/').set(auth(token)).send({ cinema: c.id, score: 2.3 })).body).toEqual({ score: ['0.5 단위로 입력하세요.'] });
    const again = await request(ctx.app).post('/cinema/rating/').set(auth(token)).send({ cinema: c.id, score: 4 });
    expect(again.status).toBe(403);
    expect(again.body).toEqual({ message: '이미 평가한 영화입니다.' });
    expect(await repo(Cinema).findOneByOrFail({ id: c.id })).toEqual(expect.objectContaining({ ratingCount: 1, ratingSumHalf: 10 }));
  });

  it('GET cinema/{id}/score/: the average the reviews tab shows (like movie/{id}/score/), 0 without reviews, 404 unknown', async () => {
    const c = await cinema();
    expect((await request(ctx.app).get(`/cinema/${c.id}/score/`).expect(200)).body).toEqual({ score: 0 });
    const [a, b, d] = [await signupAndLogin(ctx.app), await signupAndLogin(ctx.app), await signupAndLogin(ctx.app)];
    for (const [who, score] of [[a, 5], [b, 3.5], [d, 1]] as const) await request(ctx.app).post('/cinema/rating/').set(auth(who.token)).send({ cinema: c.id, score }).expect(201);
    expect((await request(ctx.app).get(`/cinema/${c.id}/score/`).set(auth(a.token)).expect(200)).body).toEqual({ score: 3.17 });
    expect((await request(ctx.app).get(`/cinema/${c.id}/score`).expect(200)).body).toEqual({ score: 3.17 });
    const missing = await request(ctx.app).get('/cinema/999999/score/');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ detail: expect.any(String) });
  });

  it('PATCH and DELETE: the author only (others get the seed 400), counters follow', async () => {
    const c = await cinema();
    const author = await signupAndLogin(ctx.app);
    const other = await signupAndLogin(ctx.app);
    const created = (await request(ctx.app).post('/cinema/rating/').set(auth(author.token)).send({ cinema: c.id, score: 2, comment: 'meh' })).body;
    const upd = await request(ctx.app).patch(`/cinema/rating/${created.id}/`).set(auth(author.token)).send({ comment: 'testest2', score: 5, cinema: c.id, user: 3 });
    expect(upd.status).toBe(200);
    expect(upd.body).toEqual({ id: created.id, user: { id: expect.any(Number), username: author.username }, comment: 'testest2', score: 5, created_at: created.created_at, updated_at: expect.any(String), cinema: c.id });
    expect((await request(ctx.app).patch(`/cinema/rating/${created.id}/`).set(auth(author.token)).send({ score: 5 })).body).toEqual({ cinema: ['이 필드는 필수 항목입니다.'] });
    const otherCinema = await cinema();
    expect((await request(ctx.app).patch(`/cinema/rating/${created.id}/`).set(auth(author.token)).send({ score: 5, cinema: otherCinema.id })).body).toEqual({ cinema: ['이 평가의 영화관과 일치하지 않습니다.'] });
    const foreign = await request(ctx.app).patch(`/cinema/rating/${created.id}/`).set(auth(other.token)).send({ score: 1, cinema: c.id });
    expect(foreign.status).toBe(400);
    expect(foreign.body).toEqual({ message: '권한이 없습니다.' });
    expect((await request(ctx.app).delete(`/cinema/rating/${created.id}/`).set(auth(other.token))).body).toEqual({ message: '권한이 없습니다.' });
    expect(await repo(Cinema).findOneByOrFail({ id: c.id })).toEqual(expect.objectContaining({ ratingCount: 1, ratingSumHalf: 10 }));
    expect((await request(ctx.app).delete(`/cinema/rating/${created.id}/`).set(auth(author.token))).status).toBe(204);
    expect(await repo(Cinema).findOneByOrFail({ id: c.id })).toEqual(expect.objectContaining({ ratingCount: 0, ratingSumHalf: 0 }));
    const gone = await request(ctx.app).delete(`/cinema/rating/${created.id}/`).set(auth(author.token));
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ detail: '평가를 찾을 수 없습니다.' });
  });

  it('keeps count and sum exact under concurrent reviews; a member racing itself gets one', async () => {
    const c = await cinema();
    const members = await Promise.all(Array.from({ length: 12 }, () => signupAndLogin(ctx.app)));
    const scores = members.map((_, i) => ((i % 10) + 1) / 2);
    const results = await Promise.all(members.map((u, i) => request(ctx.app).post('/cinema/rating/').set(auth(u.token)).send({ cinema: c.id, score: scores[i], comment: `c${i}` })));
    expect(results.map((r) => r.status)).toEqual(members.map(() => 201));
    const row = await repo(Cinema).findOneByOrFail({ id: c.id });
    expect(row.ratingCount).toBe(12);
    expect(row.ratingSumHalf).toBe(scores.reduce((s, x) => s + x * 2, 0));
    const c2 = await cinema();
    const race = await Promise.all(Array.from({ length: 5 }, () => request(ctx.app).post('/cinema/rating/').set(auth(members[0].token)).send({ cinema: c2.id, score: 2 })));
    expect(race.map((r) => r.status).sort()).toEqual([201, 403, 403, 403, 403]);
    expect((await repo(Cinema).findOneByOrFail({ id: c2.id })).ratingCount).toBe(1);

    // The detail shows the latest 10; the page lists all, 10 per page.
    const detail = (await request(ctx.app).get(`/cinema/${c.id}/`).set(auth(members[0].token))).body;
    expect(detail.cinema_ratings).toHaveLength(10);
    expect(detail.score).toBe(Math.round((row.ratingSumHalf / 2 / 12) * 100) / 100);
    const page1 = await request(ctx.app).get('/cinema/rating/page/').query({ cinema: c.id }).set(auth(members[0].token));
    expect(page1.status).toBe(200);
    expect(page1.body.count).toBe(12);
    expect(page1.body.results).toHaveLength(10);
    expect(page1.body.next).toMatch(/\/cinema\/rating\/page\/\?cinema=\d+&page=2$/);
    expect(page1.body.results[0]).toEqual({ id: expect.any(Number), comment: expect.any(String), score: expect.any(Number), updated_at: expect.any(String), user: { id: expect.any(Number), username: expect.any(String) } });
    const page2 = await request(ctx.app).get('/cinema/rating/page/').query({ cinema: c.id, page: 2 }).set(auth(members[0].token));
    expect(page2.body.results).toHaveLength(2);
    expect((await request(ctx.app).get('/cinema/rating/page/').query({ cinema: c.id, page_size: 50 }).set(auth(members[0].token))).body.results).toHaveLength(12);
    expect((await request(ctx.app).get('/cinema/rating/page/').query({ cinema: c.id, page: 3 }).set(auth(members[0].token))).status).toBe(404);
  });

  it('GET cinema/rating/page/: 404 {"detail"} without ?cinema=, an empty page for a cinema without reviews, 401 anonymous', async () => {
    const { token } = await signupAndLogin(ctx.app);
    const missing = await request(ctx.app).get('/cinema/rating/page/').set(auth(token));
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ detail: '찾을 수 없습니다.' });
    const c = await cinema();
    expect((await request(ctx.app).get('/cinema/rating/page/').query({ cinema: c.id }).set(auth(token))).body).toEqual({ count: 0, next: null, previous: null, results: [] });
    expect((await request(ctx.app).get('/cinema/rating/page/').query({ cinema: c.id })).status).toBe(401);
    expect((await request(ctx.app).get('/cinema/rating/page/').query({ cinema: c.id, page_size: 51 }).set(auth(token))).status).toBe(400);
  });
});

describe('GET movie/{id}/onscreen/ and is_showing', () => {
  it('lists the cinemas showing the movie today … today+2 with their distinct areas, and sets is_showing', async () => {
    const m = await movie();
    const a = await cinema({ area: '종로구', name: 'CGV 대학로' });
    const b = await cinema({ area: '강남구', name: 'CGV 강남' });
    const c = await cinema({ area: '종로구', name: '서울극장' });
    const far = await cinema({ area: '마포구', name: 'CGV 홍대' });
    await showtime(a, m, { startTime: '10:00:00' });
    await showtime(a, m, { startTime: '12:00:00' });
    await showtime(b, m, { date: addDays(today(), 2) });
    await showtime(c, m, { date: addDays(today(), 1) });
    await showtime(far, m, { date: addDays(today(), 3) }); // outside the window
    const { token } = await signupAndLogin(ctx.app);
    expect((await request(ctx.app).get(`/movie/${m.id}/onscreen/`)).status).toBe(401);
    const res = await request(ctx.app).get(`/movie/${m.id}/onscreen/`).set(auth(token));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      area: ['종로구', '강남구'],
      data: [a, b, c].map((x) => ({ id: x.id, area: x.area, name: x.name, address: x.address, type: x.type, img: x.img, url: x.url })),
    });
    expect((await request(ctx.app).get(`/movie/${m.id}/`).set(auth(token))).body.is_showing).toBe(true);
    const idle = await movie();
    await showtime(far, idle, { date: addDays(today(), 3), startTime: '11:00:00' });
    expect((await request(ctx.app).get(`/movie/${idle.id}/`).set(auth(token))).body.is_showing).toBe(false);
    expect((await request(ctx.app).get(`/movie/${idle.id}/onscreen/`).set(auth(token))).body).toEqual({ area: [], data: [] });
    const missing = await request(ctx.app).get('/movie/99999999/onscreen/').set(auth(token));
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ detail: '영화를 찾을 수 없습니다.' });
  });
});

describe('showtime CSV import (cinemas service)', () => {
  it('inserts the good rows and skips the bad ones with reasons, in one transaction, audited', async () => {
    const c = await cinema();
    const m = await movie();
    const d = addDays(today(), 1);
    await showtime(c, m, { date: d, startTime: '09:00:00', info: '1관' });
    const csv = [
      '\uFEFFcinema_id,movie_id,date,start_time,end_time,info,total_seats,seats,url',
      `${c.id},${m.id},${d},10:00,12:00,"2D | 1관, 6층",124,68,https://example.com/book?a=1`,
      `${c.id},${m.id},${d},13:00,,1관,,,`,
      `${c.id},${m.id},${d},09:00,11:00,1관,10,5,`, // exists already
      `${c.id},${m.id},${d},13:00,,1관,,,`, // repeats line 3
      `99999999,${m.id},${d},14:00,,,,,`,
      `${c.id},99999999,${d},15:00,,,,,`,
      `${c.id},${m.id},2020-02-30,25:61,,,10,11,ftp://x`,
      `${c.id},${m.id},${d}`,
      `${c.id},${m.id},${d},16:00,,,10,11,`,
      '',
    ].join('\r\n');
    const report = await ctx.rt.services.cinemas.importShowtimesCsv(Buffer.from(csv), { id: null, email: 'importer@marquee.test' });
    expect(report.inserted).toBe(2);
    // The reasons come by code (the service speaks no language); the panel renders them in the staff member's.
    expect(report.skipped[0]).toEqual({ line: 4, reasons: [{ code: 'csvSlotTaken' }] });
    expect(report.skipped[2]).toEqual({ line: 6, reasons: [{ field: 'cinema_id', code: 'noSuchCinema', vars: { id: 99999999 } }] });
    const inEnglish = report.skipped.map(({ line, reasons }) => ({ line, reasons: reasons.map((r) => csvSkipReason('en', r)) }));
    expect(inEnglish).toEqual([
      { line: 4, reasons: ['A showtime already exists at this cinema, date, start time and screen.'] },
      { line: 5, reasons: ['Repeats line 3 (same cinema, date, start time and screen).'] },
      { line: 6, reasons: ['cinema_id: There is no cinema #99999999.'] },
      { line: 7, reasons: ['movie_id: There is no movie #99999999.'] },
      {
        line: 8,
        reasons: [
          'date: Date has wrong format. Use one of these formats instead: YYYY-MM-DD.',
          'start_time: Time has wrong format. Use one of these formats instead: hh:mm[:ss].',
          'url: Enter a valid URL.',
        ],
      },
      { line: 9, reasons: ['Expected 9 fields, got 3.'] },
      { line: 10, reasons: ['seats: Free seats cannot exceed the total seats.'] },
    ]);
    expect(report.skipped.map(({ reasons }) => reasons.map((r) => csvSkipReason('ko', r)).join(' '))).toEqual([
      '이 영화관, 날짜, 시작 시각, 상영관에 이미 상영 일정이 있습니다.',
      '3행과 같은 상영입니다(같은 영화관, 날짜, 시작 시각, 상영관).',
      'cinema_id: 99999999번 영화관이 없습니다.',
      'movie_id: 99999999번 영화가 없습니다.',
      expect.stringContaining('date: '),
      '열이 9개여야 하는데 3개입니다.',
      'seats: 잔여 좌석 수는 전체 좌석 수보다 클 수 없습니다.',
    ]);
    const rows = await repo(Showtime).find({ where: { cinemaId: c.id, date: d }, order: { startTime: 'ASC' } });
    expect(rows.map((r) => [r.startTime, r.endTime, r.info, r.totalSeats, r.seats, r.url])).toEqual([
      ['09:00:00', '20:00:00', '1관', 53, 14, 'https://www.megabox.co.kr/booking/seat?no=1'],
      ['10:00:00', '12:00:00', '2D | 1관, 6층', 124, 68, 'https://example.com/book?a=1'],
      ['13:00:00', null, '1관', null, null, null],
    ]);
    const entry = await repo(AuditEntry).findOne({ where: { resource: 'showtimes', action: 'import' }, order: { id: 'DESC' } });
    expect(entry?.actorEmail).toBe('importer@marquee.test');
  });

  it('refuses a file with a bad header as a whole, and reads EUC-KR (Excel) files', async () => {
    await expect(answered(ctx.rt.services.cinemas.importShowtimesCsv('cinema,movie_id,date\n1,2,2020-01-01', null), 'en')).rejects.toMatchObject({
      fields: { file: ['Bad header (missing column(s): cinema_id, start_time; unknown column(s): cinema). Expected: cinema_id,movie_id,date,start_time,end_time,info,total_seats,seats,url.'] },
    });
    await expect(answered(ctx.rt.services.cinemas.importShowtimesCsv('', null), 'en')).rejects.toMatchObject({ fields: { file: ['The file is empty.'] } });
    const c = await cinema();
    const m = await movie();
    const d = addDays(today(), 2);
    // "2관" in EUC-KR: 0xB0FC is 관.
    const euckr = Buffer.concat([Buffer.from(`movie_id,cinema_id,date,start_time,info\n${m.id},${c.id},${d},11:00,2`), Buffer.from([0xb0, 0xfc]), Buffer.from('\n')]);
    expect(await ctx.rt.services.cinemas.importShowtimesCsv(euckr, null)).toEqual({ inserted: 1, skipped: [] });
    expect((await repo(Showtime).findOneByOrFail({ cinemaId: c.id, date: d })).info).toBe('2관');
  });
});

describe('showtime CSV import (admin action "Import CSV")', () => {
  let admin: TestContext & { app: Express };
  beforeAll(async () => {
    admin = await createTestApp({ admin: true });
  });
  afterAll(async () => {
    await admin.close();
  });

  it('lets catalog staff import through the panel (finance may not), and reports skipped rows', async () => {
    const staff = await createStaff(admin.rt, 'catalog');
    const agent = panelAgent(admin.app);
    expect((await agent.post('/admin/login').type('form').send({ email: staff.email, password: staff.password })).status).toBe(302);
    const c = await admin.rt.ds.getRepository(Cinema).save(admin.rt.ds.getRepository(Cinema).create({ region: '서울', area: '중구', name: '대한극장', address: '서울 중구 퇴계로 212', x: 126.99, y: 37.56, type: '기타' }));
    const m = await admin.rt.ds.getRepository(Movie).save(admin.rt.ds.getRepository(Movie).create({ name: uniqueName('영화') }));
    const d = addDays(admin.rt.services.cinemas.calendar.today(), 1);
    const csv = `cinema_id,movie_id,date,start_time\n${c.id},${m.id},${d},10:00\n${c.id},${m.id},${d},nope\n`;
    const res = await agent.post('/admin/api/resources/showtimes/actions/importCsv').attach('file', Buffer.from(csv), 'showtimes.csv');
    expect(res.status).toBe(200);
    expect(res.body.notice).toEqual({ message: '상영 1건을 추가하고 1행을 건너뛰었습니다.', type: 'info' });
    expect(res.body.importReport).toEqual({ inserted: 1, skipped: [{ line: 3, reasons: ['start_time: 시간(Time) 형식이 잘못되었습니다. 이 형식들 중 한가지를 사용하세요: hh:mm[:ss].'] }] });
    const bad = await agent.post('/admin/api/resources/showtimes/actions/importCsv').attach('file', Buffer.from('a,b\n1,2\n'), 'x.csv');
    expect(bad.body.errors.file.message).toMatch(/^헤더가 올바르지 않습니다/);

    const finance = await createStaff(admin.rt, 'finance');
    const fAgent = panelAgent(admin.app);
    await fAgent.post('/admin/login').type('form').send({ email: finance.email, password: finance.password });
    const refused = await fAgent.post('/admin/api/resources/showtimes/actions/importCsv').attach('file', Buffer.from(csv), 'showtimes.csv');
    expect(refused.body.notice.type).toBe('error');
    expect(await admin.rt.ds.getRepository(Showtime).countBy({ cinemaId: c.id })).toBe(1);
    // finance reads
    expect((await fAgent.get('/admin/api/resources/showtimes/actions/list')).status).toBe(200);
  });

  it('validates and audits cinema and showtime forms', async () => {
    const staff = await createStaff(admin.rt, 'catalog');
    const agent = panelAgent(admin.app);
    await agent.post('/admin/login').type('form').send({ email: staff.email, password: staff.password });
    const api = '/admin/api/resources';
    const bad = await agent.post(`${api}/cinemas/actions/new`).send({ name: '새 극장', type: '멀티플렉스', region: '서울', area: '마포구', address: '서울 마포구', x: '200', y: '37.5', ratingCount: '99' });
    expect(bad.body.record.errors).toEqual(expect.objectContaining({ x: expect.objectContaining({ message: '이 값이 180보다 작거나 같은지 확인하십시오.' }), type: expect.anything() }));
    const good = await agent.post(`${api}/cinemas/actions/new`).send({ name: '새 극장', type: '기타', region: '서울', area: '마포구', address: '서울 마포구', x: '126.9', y: '37.55', ratingCount: '99' });
    expect(good.body.notice).toEqual(expect.objectContaining({ type: 'success' }));
    const id = Number(good.body.record.id);
    expect(await admin.rt.ds.getRepository(Cinema).findOneByOrFail({ id })).toEqual(expect.objectContaining({ name: '새 극장', x: 126.9, y: 37.55, ratingCount: 0 }));
    expect((await admin.rt.ds.getRepository(AuditEntry).findBy({ resource: 'cinemas', recordId: String(id) })).map((e) => e.action)).toEqual(['new']);

    const m = await admin.rt.ds.getRepository(Movie).save(admin.rt.ds.getRepository(Movie).create({ name: uniqueName('영화') }));
    const st = { cinemaId: String(id), movieId: String(m.id), date: '2030-01-02', startTime: '9:05', info: '1관', totalSeats: '10', seats: '3' };
    const created = await agent.post(`${api}/showtimes/actions/new`).send(st);
    expect(created.body.record.errors).toEqual({});
    expect(created.body.notice).toEqual(expect.objectContaining({ type: "success" }));
    expect(await admin.rt.ds.getRepository(Showtime).findOneByOrFail({ id: Number(created.body.record.id) })).toEqual(expect.objectContaining({ date: '2030-01-02', startTime: '09:05:00', totalSeats: 10, seats: 3 }));
    const dup = await agent.post(`${api}/showtimes/actions/new`).send(st);
    expect(dup.body.record.errors.startTime.message).toMatch(/이미 \d+번 상영이 시작합니다/);
    const over = await agent.post(`${api}/showtimes/actions/new`).send({ ...st, startTime: '11:00', seats: '11' });
    expect(over.body.record.errors.seats.message).toBe('잔여 좌석 수는 전체 좌석 수보다 클 수 없습니다.');

    // edits and deletes go through the cinemas service too: a move onto a taken slot is a field
    // error, an unknown movie too; the service audits them
    const other = await agent.post(`${api}/showtimes/actions/new`).send({ ...st, startTime: '13:00' });
    const otherId = Number(other.body.record.id);
    const clash = await agent.post(`${api}/showtimes/records/${otherId}/edit`).send({ startTime: '09:05' });
    expect(clash.body.record.errors.startTime.message).toMatch(/이미 \d+번 상영이 시작합니다/);
    const ghost = await agent.post(`${api}/showtimes/records/${otherId}/edit`).send({ movieId: '987654321' });
    expect(ghost.body.record.errors.movieId.message).toMatch(/번 영화가 없습니다/);
    expect((await admin.rt.ds.getRepository(Showtime).findOneByOrFail({ id: otherId })).startTime).toBe('13:00:00');
    const moved = await agent.post(`${api}/showtimes/records/${otherId}/edit`).send({ startTime: '14:30', seats: '2' });
    expect(moved.body.notice.type).toBe('success');
    expect(await admin.rt.ds.getRepository(Showtime).findOneByOrFail({ id: otherId })).toEqual(expect.objectContaining({ startTime: '14:30:00', seats: 2, totalSeats: 10, info: '1관' }));
    const gone = await agent.post(`${api}/showtimes/records/${otherId}/delete`);
    expect(gone.body.notice.type).toBe('success');
    expect(await admin.rt.ds.getRepository(Showtime).countBy({ id: otherId })).toBe(0);
    expect((await admin.rt.ds.getRepository(AuditEntry).findBy({ resource: 'showtimes', recordId: String(otherId) })).map((e) => e.action).sort()).toEqual(['delete', 'edit', 'new']);
  });
});

describe('demo seed (data/demo/)', () => {
  let seed: TestContext;
  beforeAll(async () => {
    seed = await createTestContext();
  });
  afterAll(async () => {
    await seed.close();
  });

  it('loads the 12 demo cinemas and their 314 showtimes moved to today once the movies are there, idempotently', async () => {
    const dir = seed.config.demoDataDir;
    const cinemas = seed.rt.services.cinemas;
    const today = cinemas.calendar.today();

    // Before the catalog: the cinemas, and no showtime (every one names a movie we do not have).
    expect(await cinemas.seedDemoIfEmpty(dir)).toEqual({ cinemas: 12, showtimes: 0, skippedUnknownMovie: 314, skippedUnknownCinema: 0 });
    const cgv = await seed.rt.ds.getRepository(Cinema).findOneByOrFail({ id: 1 });
    expect(cgv).toEqual(expect.objectContaining({ name: 'CGV강남', area: '강남구', type: 'CGV', tel: '1544-1122', x: 127.026391177132, y: 37.5016573944824, img: null, publicTransport: null, parking: null }));

    // With the demo catalog: all 314, on today's date.
    await seed.rt.services.catalogImport.seedDemo(dir);
    await seed.rt.ds.getRepository(Showtime).clear();
    expect(await cinemas.seedDemoIfEmpty(dir)).toEqual({ cinemas: 0, showtimes: 314, skippedUnknownMovie: 0, skippedUnknownCinema: 0 });
    const shown = await seed.rt.ds.getRepository(Showtime).find();
    expect(shown).toHaveLength(314);
    expect(shown.every((s) => s.date === today)).toBe(true);
    const sample = await seed.rt.ds.getRepository(Showtime).findOneOrFail({ where: { cinemaId: 1, startTime: '17:00:00', info: '2D | 2관 6층' } });
    expect(sample).toEqual(expect.objectContaining({ date: today, endTime: '18:52:00', totalSeats: 124, seats: 68, url: null }));
    expect((await seed.rt.ds.getRepository(Movie).findOneByOrFail({ id: sample.movieId })).name).toBe('침입자');
    // Idempotent: nothing is added twice.
    expect(await cinemas.seedDemoIfEmpty(dir)).toEqual({ cinemas: 0, showtimes: 0, skippedUnknownMovie: 0, skippedUnknownCinema: 0 });
    expect(await seed.rt.ds.getRepository(Showtime).count()).toBe(314);
    // Missing files → null (nothing to seed).
    expect(await cinemas.seedDemoIfEmpty('/nonexistent')).toBeNull();
  });
});

describe('cinema reviews rows', () => {
  it('are removed with their cinema (cascade)', async () => {
    const c = await cinema();
    const { token } = await signupAndLogin(ctx.app);
    await request(ctx.app).post('/cinema/rating/').set(auth(token)).send({ cinema: c.id, score: 3 }).expect(201);
    await repo(Cinema).delete({ id: c.id });
    expect(await repo(CinemaRating).countBy({ cinemaId: c.id })).toBe(0);
  });
});
