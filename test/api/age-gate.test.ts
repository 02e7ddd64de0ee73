// Age verification (seed 000 §10) and the age gate on every public read path. Viewers: anonymous,
// an unverified member, a verified adult (30), a verified 14-year-old, and catalog staff.
// Rule (src/modules/age/age.policy.ts): 청소년 관람불가 hidden from lists and 403 on detail until
// verified 19+; 12/15세 hidden and 403 only for viewers verified under age; playing 12/15세 content
// needs a verified age.
import request from 'supertest';
import type { Express } from 'express';
import { Content } from '../../src/modules/catalog/content.entity.js';
import { Genre } from '../../src/modules/catalog/genre.entity.js';
import { Movie, MovieGenre, MoviePick, type WatchGrade } from '../../src/modules/catalog/movie.entity.js';
import { Cinema, Showtime } from '../../src/modules/cinemas/cinema.entities.js';
import { AgeVerification, VerificationTransaction } from '../../src/modules/age/verification.entities.js';
import { sandboxSignature } from '../../src/modules/age/identity-provider.js';
import { AutoDisplay, Top10Entry } from '../../src/modules/recommendations/recommendation.entities.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { createStaff, signupAndLogin } from '../support/users.js';
import { birthDateYearsAgo, verifyAge } from '../support/age.js';

let ctx: TestContext & { app: Express };
const repo = <T extends object>(e: new () => T) => ctx.rt.ds.getRepository(e);

type Who = 'anonymous' | 'unverified' | 'adult' | 'teen' | 'staff';
const tokens: Partial<Record<Who, string>> = {};
const userIds: Partial<Record<Who, number>> = {};
const as = (who: Who) => (tokens[who] ? { Authorization: `JWT ${tokens[who]}` } : {});
const userIdOf = (token: string): number => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).user_id;

const GRADES: WatchGrade[] = ['전체 관람가', '12세 관람가', '15세 관람가', '청소년 관람불가'];
const movies = {} as Record<WatchGrade, Movie>;
const contents = {} as Record<WatchGrade, Content>;
let genre: Genre;
let cinema: Cinema;

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  ctx = await createTestApp();
  const today = ctx.rt.services.cinemas.calendar.today();
  genre = await repo(Genre).save({ name: '스릴러' });
  cinema = await repo(Cinema).save(repo(Cinema).create({ region: '서울', area: '강남구', name: '나이시네마', address: '서울 강남구', x: 127.02, y: 37.5, type: 'CGV', tel: null, img: null, url: null }));
  for (const [i, grade] of GRADES.entries()) {
    // Coming soon (opens in a week), showing today, rated enough to be popular, in the genre and top 10.
    const m = await repo(Movie).save(repo(Movie).create({ name: `등급영화 ${grade}`, watchGrade: grade, openDate: addDays(today, 7), runningTime: 100, poster: null, country: 'KR', ratingCount: 10 + i, ratingSumHalf: 80 }));
    movies[grade] = m;
    await repo(MovieGenre).insert({ movieId: m.id, genreId: genre.id });
    await repo(Showtime).save(repo(Showtime).create({ cinemaId: cinema.id, movieId: m.id, date: today, startTime: '23:59:00', endTime: null, info: `${i + 1}관`, totalSeats: null, seats: null, url: null }));
    await repo(Top10Entry).save({ country: 'KR', rank: i + 1, movieId: m.id, ratingX100: 400, ratingCount: 10, views: 5, computedAt: new Date() });
    contents[grade] = await repo(Content).save(repo(Content).create({ title: `콘텐츠 ${grade}`, movieId: m.id, storageKey: `contents/age/${i}.mp4`, sizeBytes: '1000', sha256: 'b'.repeat(64), mimeType: 'video/mp4', status: 'ready' }));
  }
  for (const who of ['unverified', 'adult', 'teen'] as const) {
    tokens[who] = (await signupAndLogin(ctx.app)).token;
    userIds[who] = userIdOf(tokens[who]!);
  }
  const staff = await createStaff(ctx.rt, 'catalog');
  tokens.staff = (await request(ctx.app).post('/user/login/').send({ username: staff.user.username, password: staff.password }).expect(200)).body.token;
  expect((await verifyAge(ctx.app, ctx.config, tokens.adult!, birthDateYearsAgo(30), { ci: 'CI-ADULT' })).body).toEqual({ status: 'verified' });
  // 14 years old: turned 14 a month ago.
  expect((await verifyAge(ctx.app, ctx.config, tokens.teen!, birthDateYearsAgo(14, 30), { ci: 'CI-TEEN' })).body).toEqual({ status: 'verified' });
  // Every member has every movie picked and on their shelf.
  for (const who of ['unverified', 'adult', 'teen'] as const) {
    for (const [i, grade] of GRADES.entries()) {
      await repo(MoviePick).insert({ userId: userIds[who]!, movieId: movies[grade].id });
      await repo(AutoDisplay).save(repo(AutoDisplay).create({ userId: userIds[who]!, movieId: movies[grade].id, position: i + 1, origin: 'recommendation', edited: false, removed: false }));
    }
  }
});
afterAll(async () => {
  await ctx?.close();
});

const VISIBLE: Record<Who, WatchGrade[]> = {
  anonymous: ['전체 관람가', '12세 관람가', '15세 관람가'],
  unverified: ['전체 관람가', '12세 관람가', '15세 관람가'],
  adult: GRADES,
  teen: ['전체 관람가', '12세 관람가'],
  staff: GRADES,
};
const ALL_VIEWERS: Who[] = ['anonymous', 'unverified', 'adult', 'teen', 'staff'];
const MEMBERS: Who[] = ['unverified', 'adult', 'teen', 'staff'];
const gradesOf = (ids: number[]) => GRADES.filter((g) => ids.includes(movies[g].id));

describe('lists leave out what the viewer may not see', () => {
  it.each(ALL_VIEWERS)('genre movie list (count too): %s', async (who) => {
    const res = await request(ctx.app).get(`/movie/genres/${genre.id}/movies/`).set(as(who));
    expect(res.status).toBe(200);
    expect(gradesOf(res.body.results.map((m: { id: number }) => m.id))).toEqual(VISIBLE[who]);
    expect(res.body.count).toBe(VISIBLE[who].length);
  });

  it.each(MEMBERS)('search page popular and coming soon: %s', async (who) => {
    const res = await request(ctx.app).get('/search/').set(as(who));
    expect(res.status).toBe(200);
    expect(gradesOf(res.body.popular_movies.map((m: { id: number }) => m.id))).toEqual(VISIBLE[who]);
    expect(gradesOf(res.body.comming_soon.map((m: { id: number }) => m.id))).toEqual(VISIBLE[who]);
    expect(res.body.meta.comming_soon).toBe(VISIBLE[who].length);
  });

  it.each(ALL_VIEWERS)('showtimes of a cinema: %s', async (who) => {
    const res = await request(ctx.app).get(`/cinema/map/${cinema.id}/movie/`).set(as(who));
    expect(res.status).toBe(200);
    expect(gradesOf(res.body.documents.map((d: { movie: { id: number } }) => d.movie.id))).toEqual(VISIBLE[who]);
  });

  it.each(MEMBERS)('cinema detail onscreens: %s', async (who) => {
    const res = await request(ctx.app).get(`/cinema/${cinema.id}/`).set(as(who));
    expect(res.status).toBe(200);
    expect(gradesOf(res.body.onscreens.map((d: { movie: { id: number } }) => d.movie.id))).toEqual(VISIBLE[who]);
  });

  it.each(ALL_VIEWERS)('top 10 by country: %s', async (who) => {
    const res = await request(ctx.app).get('/movie/top10/?country=KR').set(as(who));
    expect(res.status).toBe(200);
    expect(gradesOf(res.body.results.map((r: { movie: { id: number } }) => r.movie.id))).toEqual(VISIBLE[who]);
  });

  it.each(['unverified', 'adult', 'teen'] as Who[])('auto-display shelf and my page picks: %s', async (who) => {
    const shelf = await request(ctx.app).get('/autodisplay/').set(as(who));
    expect(shelf.status).toBe(200);
    expect(gradesOf(shelf.body.map((e: { movie: { id: number } }) => e.movie.id))).toEqual(VISIBLE[who]);
    const page = await request(ctx.app).get('/user/').set(as(who));
    expect(page.status).toBe(200);
    expect(gradesOf(page.body.data.pick_movies.map((m: { id: number }) => m.id))).toEqual(VISIBLE[who]);
    expect(page.body.meta.pick_movies).toBe(VISIBLE[who].length);
  });

  it('taste onboarding: never 청소년 관람불가 (seed), and no 15세 for a 14-year-old', async () => {
    for (const [who, expected] of [
      ['adult', ['전체 관람가', '12세 관람가', '15세 관람가']],
      ['unverified', ['전체 관람가', '12세 관람가', '15세 관람가']],
      ['teen', ['전체 관람가', '12세 관람가']],
    ] as Array<[Who, WatchGrade[]]>) {
      const res = await request(ctx.app).get('/user/rating/page/?page_size=60').set(as(who));
      expect(res.status).toBe(200);
      expect(gradesOf(res.body.results.map((m: { id: number }) => m.id))).toEqual(expected);
    }
  });
});

describe('detail reads answer 403 with the reason', () => {
  const detailPaths = (g: WatchGrade) => [`/movie/${movies[g].id}/`, `/movie/genres/${genre.id}/movies/${movies[g].id}/`, `/movie/${movies[g].id}/score/`, `/contents/${contents[g].id}/metadata/`, `/contents/${contents[g].id}/validity/`];

  it.each(ALL_VIEWERS)('movie detail, genre movie, score, content metadata/validity: %s', async (who) => {
    for (const grade of GRADES) {
      for (const path of detailPaths(grade)) {
        const res = await request(ctx.app).get(path).set(as(who));
        if (VISIBLE[who].includes(grade)) {
          expect([path, res.status]).toEqual([path, 200]);
        } else {
          expect([path, res.status]).toEqual([path, 403]);
          if (grade === '청소년 관람불가' && who !== 'teen') expect(res.body.message).toMatch(/본인인증으로 만 19세 이상/);
          else expect(res.body.message).toMatch(new RegExp(`${grade} 영화입니다. 만 \\d+세 이상만`));
        }
      }
    }
  });

  it('English messages on Accept-Language: en', async () => {
    const res = await request(ctx.app).get(`/movie/${movies['청소년 관람불가'].id}/`).set('Accept-Language', 'en');
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/adults only.*19 or older/);
  });

  it.each(['unverified', 'adult', 'teen'] as Who[])('onscreen cinemas and picks of a hidden movie: %s', async (who) => {
    for (const grade of GRADES) {
      const onscreen = await request(ctx.app).get(`/movie/${movies[grade].id}/onscreen/`).set(as(who));
      expect([grade, onscreen.status]).toEqual([grade, VISIBLE[who].includes(grade) ? 200 : 403]);
      const pick = await request(ctx.app).patch(`/movie/${movies[grade].id}/pick/`).set(as(who)).send('1');
      expect([grade, pick.status]).toEqual([grade, VISIBLE[who].includes(grade) ? 200 : 403]);
    }
  });

  it('a missing movie is still 404, not 403', async () => {
    expect((await request(ctx.app).get('/movie/999999/')).status).toBe(404);
    expect((await request(ctx.app).get('/movie/999999/score/')).status).toBe(404);
  });
});

describe('playback (watch history) needs a proven age', () => {
  const PLAYABLE: Record<string, WatchGrade[]> = {
    unverified: ['전체 관람가'],
    teen: ['전체 관람가', '12세 관람가'],
    adult: GRADES,
  };
  it.each(['unverified', 'adult', 'teen'])('%s', async (who) => {
    for (const grade of GRADES) {
      const res = await request(ctx.app).post('/user/history/').set(as(who as Who)).send({ content: contents[grade].id, position: 10, duration: 100 });
      if (PLAYABLE[who].includes(grade)) expect([grade, res.status]).toEqual([grade, 200]);
      else {
        expect([grade, res.status]).toEqual([grade, 403]);
        if (who === 'unverified' && grade !== '청소년 관람불가') expect(res.body.message).toMatch(/재생하려면 본인인증/);
      }
    }
  });
});

describe('verification', () => {
  const start = async (token: string) => (await request(ctx.app).post('/user/verification/').set('Authorization', `JWT ${token}`).expect(201)).body;
  const signed = (p: { tx_id: string; result: 'success' | 'fail'; name: string; birth_date: string; ci: string }) => ({ ...p, signature: sandboxSignature(p, ctx.config.verification.secret) });

  it('shows the member’s status with a masked name and never stores the CI or the name in clear', async () => {
    const res = await request(ctx.app).get('/user/verification/').set(as('adult'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ verified: true, provider: 'sandbox', name: '홍*동', birth_date: birthDateYearsAgo(30), age: 30, adult: true });
    expect((await request(ctx.app).get('/user/verification/').set(as('teen'))).body).toMatchObject({ verified: true, age: 14, adult: false });
    expect((await request(ctx.app).get('/user/verification/').set(as('unverified'))).body).toEqual({ verified: false, provider: null, name: null, birth_date: null, age: null, adult: false, verified_at: null });
    const row = await repo(AgeVerification).findOneByOrFail({ userId: userIds.adult! });
    expect(JSON.stringify(row)).not.toContain('CI-ADULT');
    expect(JSON.stringify(row)).not.toContain('홍길동');
    expect(row.ciHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a bad signature, an unknown transaction, and a transaction used twice', async () => {
    const { token } = await signupAndLogin(ctx.app);
    const tx = await start(token);
    expect(tx).toMatchObject({ provider: 'sandbox', url: expect.stringContaining(tx.tx_id) });
    const p = { tx_id: tx.tx_id, result: 'success' as const, name: '이영희', birth_date: birthDateYearsAgo(25), ci: 'CI-TWICE' };
    const forged = await request(ctx.app).post('/user/verification/callback/').send({ ...p, birth_date: birthDateYearsAgo(40), signature: signed(p).signature });
    expect(forged.status).toBe(400);
    expect(forged.body.message).toMatch(/서명/);
    expect((await request(ctx.app).post('/user/verification/callback/').send(signed({ ...p, tx_id: 'nope' }))).status).toBe(404);
    expect((await request(ctx.app).post('/user/verification/callback/').send({ tx_id: tx.tx_id })).status).toBe(400);
    expect((await request(ctx.app).get('/user/verification/').set('Authorization', `JWT ${token}`)).body.verified).toBe(false);

    expect((await request(ctx.app).post('/user/verification/callback/').send(signed(p))).body).toEqual({ status: 'verified' });
    const again = await request(ctx.app).post('/user/verification/callback/').send(signed(p));
    expect(again.status).toBe(410);
  });

  it('one identity (CI) verifies one account: another account gets 409 and stays unverified', async () => {
    const { token } = await signupAndLogin(ctx.app);
    const tx = await start(token);
    const res = await request(ctx.app).post('/user/verification/callback/').send(signed({ tx_id: tx.tx_id, result: 'success', name: '홍길동', birth_date: birthDateYearsAgo(30), ci: 'CI-ADULT' }));
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/다른 계정/);
    expect((await request(ctx.app).get('/user/verification/').set('Authorization', `JWT ${token}`)).body.verified).toBe(false);
    expect((await repo(VerificationTransaction).findOneByOrFail({ txId: tx.tx_id })).status).toBe('failed');
    expect((await request(ctx.app).get(`/movie/${movies['청소년 관람불가'].id}/`).set('Authorization', `JWT ${token}`)).status).toBe(403);
  });

  it('a failed verification is recorded and changes nothing; an expired transaction → 410', async () => {
    const { token } = await signupAndLogin(ctx.app);
    const tx = await start(token);
    const failed = await request(ctx.app).post('/user/verification/callback/').send(signed({ tx_id: tx.tx_id, result: 'fail', name: '', birth_date: '', ci: '' }));
    expect(failed.body).toEqual({ status: 'failed', reason: 'fail' });
    expect((await request(ctx.app).get('/user/verification/').set('Authorization', `JWT ${token}`)).body.verified).toBe(false);

    const late = await start(token);
    ctx.rt.services.age.clock = () => new Date(Date.now() + (ctx.config.verification.txTtlSeconds + 5) * 1000);
    try {
      const res = await request(ctx.app).post('/user/verification/callback/').send(signed({ tx_id: late.tx_id, result: 'success', name: '박민수', birth_date: birthDateYearsAgo(20), ci: 'CI-LATE' }));
      expect(res.status).toBe(410);
      expect(res.body.message).toMatch(/만료/);
    } finally {
      ctx.rt.services.age.clock = () => new Date();
    }
  });

  it('a birth date in the future is refused; start and status need a member', async () => {
    const { token } = await signupAndLogin(ctx.app);
    const tx = await start(token);
    const res = await request(ctx.app).post('/user/verification/callback/').send(signed({ tx_id: tx.tx_id, result: 'success', name: '미래인', birth_date: '2999-01-01', ci: 'CI-FUTURE' }));
    expect(res.status).toBe(400);
    expect((await request(ctx.app).post('/user/verification/')).status).toBe(401);
    expect((await request(ctx.app).get('/user/verification/')).status).toBe(401);
  });

  it('becoming verified as an adult opens 청소년 관람불가 at once', async () => {
    const { token } = await signupAndLogin(ctx.app);
    const path = `/movie/${movies['청소년 관람불가'].id}/`;
    expect((await request(ctx.app).get(path).set('Authorization', `JWT ${token}`)).status).toBe(403);
    expect((await verifyAge(ctx.app, ctx.config, token, birthDateYearsAgo(19))).status).toBe(200);
    expect((await request(ctx.app).get(path).set('Authorization', `JWT ${token}`)).status).toBe(200);
  });
});
