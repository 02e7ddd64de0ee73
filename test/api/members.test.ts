// The member's own endpoints against live MariaDB/Redis: my page (seed 004 `GET user/`), the
// profile image (sniffed, metadata stripped, stored atomically, served under /media) and the
// watch history (upsert + events, watch-time capping, pagination, ownership).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { Content } from '../../src/modules/catalog/content.entity.js';
import { Cinema, CinemaPick, Showtime } from '../../src/modules/cinemas/cinema.entities.js';
import { Genre } from '../../src/modules/catalog/genre.entity.js';
import { Movie, MovieGenre, MoviePick } from '../../src/modules/catalog/movie.entity.js';
import { RecRun, UserRecommendation } from '../../src/modules/recommendations/recommendation.entities.js';
import { WatchEvent, WatchProgress } from '../../src/modules/members/watch.entity.js';
import { crc32 } from '../../src/modules/members/profile-image.js';
import { User } from '../../src/modules/users/user.entity.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { signupAndLogin } from '../support/users.js';
import { birthDateYearsAgo, verifyAge } from '../support/age.js';
import { answered } from '../support/errors.js';

const MAX_IMAGE = 64 * 1024;
let ctx: TestContext & { app: Express };
let work: string;
let png: Buffer;
let jpeg: Buffer;
const auth = (token: string) => ({ Authorization: `JWT ${token}` });
const repo = <T extends object>(e: new () => T) => ctx.rt.ds.getRepository(e);
const idOf = async (username: string) => (await repo(User).findOneByOrFail({ username })).id;

beforeAll(async () => {
  ctx = await createTestApp({ env: { PROFILE_IMAGE_MAX_BYTES: String(MAX_IMAGE) } });
  work = mkdtempSync(path.join(os.tmpdir(), 'mq-members-'));
  const make = (name: string) => {
    execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'color=red:s=8x8', '-frames:v', '1', path.join(work, name)]);
    return readFileSync(path.join(work, name));
  };
  png = make('red.png');
  jpeg = make('red.jpg');
});
afterAll(async () => {
  await ctx?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

let n = 0;
async function movie(genres: string[] = [], over: Partial<Movie> = {}): Promise<Movie> {
  const m = await repo(Movie).save(repo(Movie).create({ name: `영화${++n}`, runningTime: 139, watchGrade: '12세 관람가', poster: `https://img.example.com/${n}.jpg`, openDate: '2019-01-01', ...over }));
  for (const name of genres) {
    const g = (await repo(Genre).findOneBy({ name })) ?? (await repo(Genre).save(repo(Genre).create({ name })));
    await repo(MovieGenre).insert({ movieId: m.id, genreId: g.id });
  }
  return m;
}

async function content(over: Partial<Content> = {}): Promise<Content> {
  const key = `contents/test/${++n}-${Math.random().toString(36).slice(2)}.mp4`;
  return repo(Content).save(repo(Content).create({ title: `콘텐츠${n}`, storageKey: key, sizeBytes: '1000', sha256: 'a'.repeat(64), mimeType: 'video/mp4', status: 'ready', ...over }));
}

// ---- image helpers ----

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
/** The ffmpeg PNG with a tEXt chunk after IHDR. */
const pngWithText = () => Buffer.concat([png.subarray(0, 33), pngChunk('tEXt', Buffer.from('Comment\0GPS 37.56N 126.97E home', 'latin1')), png.subarray(33)]);
/** The ffmpeg JPEG with an EXIF APP1 after APP0. */
function jpegWithExif(): Buffer {
  const at = 4 + jpeg.readUInt16BE(4);
  const payload = Buffer.from('Exif\0\0MM\0*\0\0\0\x08 GPS SECRET-CAMERA-SERIAL', 'latin1');
  const head = Buffer.from([0xff, 0xe1, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, at), head, payload, jpeg.subarray(at)]);
}

const mediaFile = (publicPath: string) => path.join(ctx.config.mediaDir, publicPath.replace(/^media\//, ''));
const profileFiles = () => (existsSync(path.join(ctx.config.mediaDir, 'profile')) ? readdirSync(path.join(ctx.config.mediaDir, 'profile')) : []);

describe('GET user/ (my page)', () => {
  it('answers the seed shape with picks; no recommendations before 10 ratings', async () => {
    const { token, username } = await signupAndLogin(ctx.app);
    const a = await movie(['드라마', '판타지']);
    const b = await movie(['액션'], { runningTime: null, watchGrade: null, poster: null });
    await request(ctx.app).patch(`/movie/${a.id}/pick/`).set(auth(token)).send('1').expect(200);
    await request(ctx.app).patch(`/movie/${b.id}/pick/`).set(auth(token)).send('1').expect(200);
    const res = await request(ctx.app).get('/user/').set(auth(token));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      meta: { rating_tf: false, pick_cinemas: 0, pick_movies: 2, recommend_movies: 0, recommend_onscreen: 0 },
      data: {
        user: { id: await idOf(username), username, file: [] },
        pick_cinemas: [],
        pick_movies: expect.any(Array),
        recommend_movies: [],
        recommend_onscreen: [],
      },
    });
    expect(res.body.data.pick_movies).toEqual(
      expect.arrayContaining([
        { id: a.id, name: a.name, poster: a.poster, genres: ['드라마', '판타지'], running_time: '139분', watch_grade: '12세 관람가' },
        { id: b.id, name: b.name, poster: '', genres: ['액션'], running_time: null, watch_grade: null },
      ]),
    );
    expect(JSON.stringify(res.body)).not.toMatch(/password|hash/i);
    // without the trailing slash too; anonymous → 401
    expect((await request(ctx.app).get('/user').set(auth(token))).status).toBe(200);
    expect((await request(ctx.app).get('/user/')).status).toBe(401);
    // no such member: the 404 detail through the i18n table (Korean default, English on request)
    await expect(answered(ctx.rt.services.members.myPage(2_000_000_000))).rejects.toMatchObject({ status: 404, body: { detail: '회원을 찾을 수 없습니다.' } });
    await expect(answered(ctx.rt.services.members.myPage(2_000_000_000), 'en')).rejects.toMatchObject({ status: 404, body: { detail: 'User not found.' } });
  });

  it('recommends movies (cards, unrated ones) once the member has 10 ratings', async () => {
    const { token } = await signupAndLogin(ctx.app);
    const rated: Movie[] = [];
    for (let i = 0; i < 10; i++) rated.push(await movie(['스릴러']));
    const others: Movie[] = [];
    for (let i = 0; i < 3; i++) others.push(await movie(['스릴러', 'SF']));
    await request(ctx.app).post('/user/rating/').set(auth(token)).send({ data: rated.map((m) => ({ movie: m.id, score: 4.5 })) }).expect(203);
    const res = await request(ctx.app).get('/user/').set(auth(token)).expect(200);
    expect(res.body.meta.rating_tf).toBe(true);
    const recs = res.body.data.recommend_movies as Array<{ id: number }>;
    expect(recs.length).toBeGreaterThan(0);
    expect(recs.length).toBeLessThanOrEqual(10);
    expect(res.body.meta.recommend_movies).toBe(recs.length);
    const ratedIds = new Set(rated.map((m) => m.id));
    expect(recs.filter((r) => ratedIds.has(r.id))).toEqual([]);
    expect(recs.map((r) => r.id)).toEqual(expect.arrayContaining(others.map((m) => m.id)));
    expect(recs[0]).toEqual({ id: expect.any(Number), name: expect.any(String), poster: expect.any(String), genres: expect.any(Array), running_time: '139분', watch_grade: '12세 관람가' });
  });

  it('lists picked cinemas and the recommended movies that are on screen today', async () => {
    const { token } = await signupAndLogin(ctx.app);
    const rated: Movie[] = [];
    for (let i = 0; i < 10; i++) rated.push(await movie(['느와르']));
    const showing = await movie(['느와르']);
    const notShowing = await movie(['느와르']);
    await request(ctx.app).post('/user/rating/').set(auth(token)).send({ data: rated.map((m) => ({ movie: m.id, score: 4 })) }).expect(203);
    const cinema = await repo(Cinema).save(repo(Cinema).create({ region: '서울', area: '마포구', name: `마이페이지극장${Date.now()}`, address: '서울 마포구', x: 126.92, y: 37.55, type: 'CGV' }));
    await repo(Showtime).save(repo(Showtime).create({ cinemaId: cinema.id, movieId: showing.id, date: ctx.rt.services.cinemas.calendar.today(), startTime: '23:50:00', endTime: '23:59:00', info: '1관', totalSeats: 10, seats: 5, url: null }));
    // A fixture row written past the product's write paths: tell the kept booking-window movie set, as they do.
    ctx.rt.services.cinemas.showtimesChanged();
    await request(ctx.app).patch(`/cinema/${cinema.id}/pick/`).set(auth(token)).send('1').expect(200);

    const res = await request(ctx.app).get('/user/').set(auth(token)).expect(200);
    expect(res.body.meta.pick_cinemas).toBe(1);
    expect(res.body.data.pick_cinemas).toEqual([expect.objectContaining({ id: cinema.id, name: cinema.name, type: 'CGV' })]);
    const onscreen = (res.body.data.recommend_onscreen as Array<{ id: number }>).map((m) => m.id);
    expect(onscreen).toContain(showing.id);
    expect(onscreen).not.toContain(notShowing.id);
    expect(res.body.data.recommend_movies.map((m: { id: number }) => m.id)).toContain(notShowing.id);
    expect(res.body.meta.recommend_onscreen).toBe(onscreen.length);
  });
});

/**
 * My page's one statement (MembersService.memberPageRows) answers what the separate reads it
 * replaced answer: the account, its rating count, the picks newest first (ties by movie id), and the
 * stored recommendations best first without rated or watched movies (RecommendationsService.forUser);
 * with every stored one rated, my page falls back to forUser's popular movies.
 */
async function pageRowsMatchSeparateReads(c: TestContext & { app: Express }): Promise<void> {
  const r = <T extends object>(e: new () => T) => c.rt.ds.getRepository(e);
  const { members, ratings, recommendations, users } = c.rt.services;
  const { token, username } = await signupAndLogin(c.app);
  const me = (await r(User).findOneByOrFail({ username })).id;
  const ms: number[] = [];
  for (let i = 0; i < 25; i++) ms.push((await r(Movie).save(r(Movie).create({ name: `행영화${++n}`, runningTime: 100, watchGrade: null, poster: null, openDate: '2019-01-01' }))).id);
  const at = (minutes: number) => new Date(Date.UTC(2024, 0, 1, 12, minutes));
  // Two picks in the same second: by movie id.
  await r(MoviePick).insert([
    { userId: me, movieId: ms[0]!, createdAt: at(0) },
    { userId: me, movieId: ms[2]!, createdAt: at(5) },
    { userId: me, movieId: ms[1]!, createdAt: at(5) },
    { userId: me, movieId: ms[3]!, createdAt: at(-60) },
  ]);
  await ratings.createMany(me, ms.slice(4, 16).map((movie, k) => ({ movie, score: 1 + (k % 8) / 2 })));
  const run = await r(RecRun).save({ kind: 'full', status: 'done', finishedAt: new Date() } as Partial<RecRun>);
  // Stored: ms[10..24] best first; ms[10..15] are rated since, ms[17] watched.
  await r(UserRecommendation).insert(ms.slice(10).map((movieId, k) => ({ userId: me, movieId, rank: k + 1, predictedX100: 400 - k, runId: run.id })));
  const watched = await r(Content).save(r(Content).create({ title: '본 영화', movieId: ms[17]!, storageKey: `contents/rows/${n}.mp4`, sizeBytes: '1000', sha256: 'a'.repeat(64), mimeType: 'video/mp4', status: 'ready' }));
  await r(WatchProgress).insert({ userId: me, contentId: watched.id, movieId: ms[17]!, positionSeconds: 600, durationSeconds: 1200 });
  const cinemas: number[] = [];
  for (let i = 0; i < 3; i++) cinemas.push((await r(Cinema).save(r(Cinema).create({ region: '서울', area: '중구', name: `행극장${++n}`, address: '서울 중구', x: 126.98, y: 37.56, type: 'CGV' }))).id);
  await r(CinemaPick).insert([
    { userId: me, cinemaId: cinemas[0]!, createdAt: at(0) },
    { userId: me, cinemaId: cinemas[2]!, createdAt: at(9) },
    { userId: me, cinemaId: cinemas[1]!, createdAt: at(9) },
  ]);

  const rows = await members.memberPageRows(me, 200);
  const user = await users.findById(me);
  expect(rows).toEqual({
    user: { id: me, username: user!.username, profileImage: null },
    ratings: await ratings.countForUser(me),
    pickedIds: [ms[1], ms[2], ms[0], ms[3]],
    storedIds: await recommendations.forUser(me, 200),
    cinemaIds: ((await c.rt.services.cinemas.pickedCinemas(me)) as Array<{ id: number }>).map((x) => x.id),
    state: expect.any(Object),
  });
  expect(rows.cinemaIds).toEqual([cinemas[1], cinemas[2], cinemas[0]]);
  expect(rows.ratings).toBe(12);
  expect(rows.storedIds).toEqual([ms[16], ...ms.slice(18)]);
  expect((await members.memberPageRows(me, 3)).storedIds).toEqual([ms[16], ms[18], ms[19]]);
  expect(await members.memberPageRows(2_000_000_000, 200)).toEqual({ user: null, ratings: 0, pickedIds: [], storedIds: [], cinemaIds: [], state: expect.any(Object) });
  const page = await request(c.app).get('/user/').set(auth(token)).expect(200);
  expect(page.body.data.pick_movies.map((m: { id: number }) => m.id)).toEqual([ms[1], ms[2], ms[0], ms[3]]);
  expect(page.body.data.recommend_movies.map((m: { id: number }) => m.id)).toEqual([ms[16], ...ms.slice(18)].slice(0, 10));
  expect(page.body.data.pick_cinemas).toEqual(await c.rt.services.cinemas.pickedCinemas(me));
  expect(page.body.meta.pick_cinemas).toBe(3);

  // Every stored one rated: the page falls back to popular movies (forUser), as before.
  await ratings.createMany(me, [ms[16]!, ...ms.slice(18)].map((movie) => ({ movie, score: 3 })));
  expect((await members.memberPageRows(me, 200)).storedIds).toEqual([]);
  const fallback = await recommendations.forUser(me, 10);
  expect(fallback.length).toBeGreaterThan(0);
  const again = await request(c.app).get('/user/').set(auth(token)).expect(200);
  expect(again.body.data.recommend_movies.map((m: { id: number }) => m.id)).toEqual(fallback);
}

it('my page reads the member in one statement, equal to the separate reads (MariaDB)', async () => {
  await pageRowsMatchSeparateReads(ctx);
});

describe('POST / DELETE user/profile/', () => {
  it('stores a PNG without its text chunk, serves it under /media with nosniff, and shows it on my page', async () => {
    const { token } = await signupAndLogin(ctx.app);
    const res = await request(ctx.app).post('/user/profile/').set(auth(token)).attach('file', pngWithText(), { filename: 'me.png', contentType: 'image/png' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ file: [expect.stringMatching(/^media\/profile\/[0-9a-f]{32}\.png$/)] });
    const stored = readFileSync(mediaFile(res.body.file[0]));
    expect(stored.toString('latin1')).not.toContain('tEXt');
    expect(stored.toString('latin1')).not.toContain('GPS');
    expect(stored).toEqual(png); // the image chunks, byte for byte

    const served = await request(ctx.app).get(`/${res.body.file[0]}`);
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.headers['cache-control']).toMatch(/max-age=31536000.*immutable/);
    expect(Buffer.from(served.body)).toEqual(stored);

    expect((await request(ctx.app).get('/user/').set(auth(token))).body.data.user.file).toEqual(res.body.file);
  });

  it('replaces the previous image (its file is deleted); a JPEG loses its EXIF whatever Content-Type the client claims', async () => {
    const { token, username } = await signupAndLogin(ctx.app);
    const first = (await request(ctx.app).post('/user/profile/').set(auth(token)).attach('file', png, { filename: 'a.png', contentType: 'image/png' }).expect(200)).body.file[0];
    const second = await request(ctx.app).post('/user/profile/').set(auth(token)).attach('file', jpegWithExif(), { filename: 'b.png', contentType: 'image/png' });
    expect(second.status).toBe(200);
    const path2 = second.body.file[0] as string;
    expect(path2).toMatch(/^media\/profile\/[0-9a-f]{32}\.jpeg$/);
    expect(existsSync(mediaFile(first))).toBe(false);
    const stored = readFileSync(mediaFile(path2));
    expect(stored.toString('latin1')).not.toMatch(/Exif|SECRET-CAMERA-SERIAL/);
    expect(stored.subarray(0, 4)).toEqual(Buffer.from([0xff, 0xd8, 0xff, 0xe0]));
    expect((await repo(User).findOneByOrFail({ username })).profileImage).toBe(path2.replace(/^media\//, ''));
    const served = await request(ctx.app).get(`/${path2}`).expect(200);
    expect(served.headers['content-type']).toBe('image/jpeg');
    expect((await request(ctx.app).get(`/${first}`)).status).toBe(404);
  });

  it('answers the seed errors: 400 for a text file named .jpg (or a GIF), 403 without a file; the old image stays', async () => {
    const { token, username } = await signupAndLogin(ctx.app);
    const kept = (await request(ctx.app).post('/user/profile/').set(auth(token)).attach('file', png, { filename: 'a.png', contentType: 'image/png' }).expect(200)).body.file[0];
    const files = profileFiles().length;

    const text = await request(ctx.app).post('/user/profile/').set(auth(token)).attach('file', Buffer.from('hello, not an image'), { filename: 'photo.jpg', contentType: 'image/jpeg' });
    expect(text.status).toBe(400);
    expect(text.body).toEqual({ message: '유효하지 않은 파일입니다.' });
    const gif = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(40, 1)]);
    expect((await request(ctx.app).post('/user/profile/').set(auth(token)).attach('file', gif, { filename: 'x.gif', contentType: 'image/gif' })).status).toBe(400);
    const broken = png.subarray(0, png.length - 20);
    expect((await request(ctx.app).post('/user/profile/').set(auth(token)).attach('file', broken, { filename: 'x.png' })).body).toEqual({ message: '유효하지 않은 파일입니다.' });
    const en = await request(ctx.app).post('/user/profile/').set(auth(token)).set('Accept-Language', 'en').attach('file', Buffer.from('nope'), { filename: 'x.jpg' });
    expect(en.body).toEqual({ message: 'Invalid file.' });

    const none = await request(ctx.app).post('/user/profile/').set(auth(token)).field('name', 'no file here');
    expect(none.status).toBe(403);
    expect(none.body).toEqual({ message: '이미지는 필수입니다.' });
    const empty = await request(ctx.app).post('/user/profile/').set(auth(token)).attach('file', Buffer.alloc(0), { filename: '' });
    expect(empty.status).toBe(403);
    expect((await request(ctx.app).post('/user/profile/').set(auth(token)).send({ file: 'x' })).status).toBe(403);

    expect(profileFiles()).toHaveLength(files);
    expect(profileFiles().filter((f) => f.startsWith('.'))).toEqual([]);
    expect(existsSync(mediaFile(kept))).toBe(true);
    expect((await repo(User).findOneByOrFail({ username })).profileImage).toBe(kept.replace(/^media\//, ''));
    expect((await request(ctx.app).post('/user/profile/').attach('file', png, { filename: 'a.png' })).status).toBe(401);
  });

  it('answers 413 past PROFILE_IMAGE_MAX_BYTES and stores nothing', async () => {
    const { token } = await signupAndLogin(ctx.app);
    const files = profileFiles().length;
    const big = Buffer.concat([png.subarray(0, 33), Buffer.alloc(MAX_IMAGE + 10_000, 7)]);
    const res = await request(ctx.app).post('/user/profile/').set(auth(token)).attach('file', big, { filename: 'big.png', contentType: 'image/png' });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ message: `이미지 파일이 너무 큽니다. 최대 ${MAX_IMAGE}바이트까지 올릴 수 있습니다.` });
    expect(profileFiles()).toHaveLength(files);
    // after a 413 the member can still upload
    expect((await request(ctx.app).post('/user/profile/').set(auth(token)).attach('file', png, { filename: 'a.png' })).status).toBe(200);
  });

  it('DELETE removes the file and the path (204), also when there is none', async () => {
    const { token, username } = await signupAndLogin(ctx.app);
    const stored = (await request(ctx.app).post('/user/profile/').set(auth(token)).attach('file', png, { filename: 'a.png' }).expect(200)).body.file[0];
    const del = await request(ctx.app).delete('/user/profile/').set(auth(token));
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    expect(existsSync(mediaFile(stored))).toBe(false);
    expect((await repo(User).findOneByOrFail({ username })).profileImage).toBeNull();
    expect((await request(ctx.app).get('/user/').set(auth(token))).body.data.user.file).toEqual([]);
    expect((await request(ctx.app).get(`/${stored}`)).status).toBe(404);
    expect((await request(ctx.app).delete('/user/profile/').set(auth(token))).status).toBe(204);
    expect((await request(ctx.app).delete('/user/profile/')).status).toBe(401);
  });

  it('never serves dotfiles or directory listings under /media', async () => {
    mkdirSync(path.join(ctx.config.mediaDir, 'profile'), { recursive: true });
    writeFileSync(path.join(ctx.config.mediaDir, 'profile', '.tmp-secret'), 'half written');
    expect((await request(ctx.app).get('/media/profile/.tmp-secret')).status).toBe(404);
    expect((await request(ctx.app).get('/media/profile/')).status).toBe(404);
    expect((await request(ctx.app).get('/media/')).status).toBe(404);
    expect((await request(ctx.app).get('/media/..%2f..%2fetc%2fpasswd')).status).toBe(404);
  });
});

describe('user/history/', () => {
  const backdate = (userId: number, contentId: number, seconds: number) =>
    repo(WatchProgress).update({ userId, contentId }, { updatedAt: new Date(Date.now() - seconds * 1000) });

  it('upserts the progress and appends events; watch time is capped by the wall clock', async () => {
    const { token, username } = await signupAndLogin(ctx.app);
    // Playing 12세 관람가 content needs a verified age (the age gate, test/api/age-gate.test.ts).
    expect((await verifyAge(ctx.app, ctx.config, token, birthDateYearsAgo(30))).status).toBe(200);
    const userId = await idOf(username);
    const m = await movie(['드라마']);
    const c = await content({ movieId: m.id });

    const first = await request(ctx.app).post('/user/history/').set(auth(token)).send({ content: c.id, position: 0, duration: 7200 });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      content: c.id,
      position: 0,
      duration: 7200,
      progress: 0,
      updated_at: expect.any(String),
      watched_seconds: 0,
      movie: { id: m.id, name: m.name, poster: m.poster, genres: ['드라마'], running_time: '139분', watch_grade: '12세 관람가' },
    });
    // A jump of 50 minutes a moment later: it is not 50 minutes of watching.
    const jump = await request(ctx.app).post('/user/history/').set(auth(token)).send({ content: String(c.id), position: '3000', duration: '7200' });
    expect(jump.status).toBe(200);
    expect(jump.body.watched_seconds).toBeLessThanOrEqual(1);
    // 2 minutes later, 60 seconds further: 60 seconds watched.
    await backdate(userId, c.id, 120);
    expect((await request(ctx.app).post('/user/history/').set(auth(token)).send({ content: c.id, position: 3060, duration: 7200 })).body.watched_seconds).toBe(60);
    // 30 seconds later, claims 1000 seconds further: 30 at most.
    await backdate(userId, c.id, 30);
    const inflated = (await request(ctx.app).post('/user/history/').set(auth(token)).send({ content: c.id, position: 4060, duration: 7200 })).body.watched_seconds;
    expect(inflated).toBeGreaterThanOrEqual(29);
    expect(inflated).toBeLessThanOrEqual(31);
    // backwards: nothing
    await backdate(userId, c.id, 30);
    expect((await request(ctx.app).post('/user/history/').set(auth(token)).send({ content: c.id, position: 100, duration: 7200 })).body.watched_seconds).toBe(0);

    expect(await repo(WatchProgress).findBy({ userId })).toEqual([expect.objectContaining({ contentId: c.id, movieId: m.id, positionSeconds: 100, durationSeconds: 7200 })]);
    const events = await repo(WatchEvent).find({ where: { userId }, order: { id: 'ASC' } });
    expect(events.map((e) => e.positionSeconds)).toEqual([0, 3000, 3060, 4060, 100]);
    expect(events.map((e) => e.movieId)).toEqual([m.id, m.id, m.id, m.id, m.id]);
    expect(events.reduce((s, e) => s + e.watchedSeconds, 0)).toBeLessThanOrEqual(92);
  });

  it('validates the report: fields, position past the end, unknown or unplayable content', async () => {
    const { token } = await signupAndLogin(ctx.app);
    const ready = await content();
    const processing = await content({ status: 'processing' });
    const expired = await content({ validUntil: new Date(Date.now() - 86_400_000) });
    const post = (body: object) => request(ctx.app).post('/user/history/').set(auth(token)).send(body);
    expect((await post({ position: 1, duration: 10 })).body).toEqual({ content: ['이 필드는 필수 항목입니다.'] });
    expect((await post({ content: ready.id, position: -1, duration: 10 })).body).toEqual({ position: ['이 값이 0보다 크거나 같은지 확인하십시오.'] });
    expect((await post({ content: ready.id, position: 1.5, duration: 10 })).status).toBe(400);
    const past = await post({ content: ready.id, position: 100, duration: 90 });
    expect(past.status).toBe(400);
    expect(past.body).toEqual({ position: ['재생 위치는 전체 길이보다 클 수 없습니다.'] });
    expect((await post({ content: ready.id, position: 93, duration: 90 })).status).toBe(200); // within the slack
    for (const id of [999999, processing.id, expired.id]) {
      const res = await post({ content: id, position: 1, duration: 10 });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ content: [`유효하지 않은 pk "${id}" - 객체가 존재하지 않습니다.`] });
    }
    expect((await request(ctx.app).post('/user/history/').send({ content: ready.id, position: 1, duration: 10 })).status).toBe(401);
  });

  it('lists only the member’s own progress, most recent first, 20 per page', async () => {
    const owner = await signupAndLogin(ctx.app);
    expect((await verifyAge(ctx.app, ctx.config, owner.token, birthDateYearsAgo(30))).status).toBe(200);
    const other = await signupAndLogin(ctx.app);
    expect((await verifyAge(ctx.app, ctx.config, other.token, birthDateYearsAgo(30))).status).toBe(200);
    const m = await movie(['코미디']);
    const contents = await Promise.all(Array.from({ length: 21 }, (_, i) => content({ movieId: i === 0 ? m.id : null })));
    for (const c of contents) await request(ctx.app).post('/user/history/').set(auth(owner.token)).send({ content: c.id, position: 10, duration: 100 }).expect(200);
    const ownerId = await idOf(owner.username);
    // make the order certain: the first content watched longest ago, the last most recently
    for (const [i, c] of contents.entries()) await repo(WatchProgress).update({ userId: ownerId, contentId: c.id }, { updatedAt: new Date(Date.now() - (100 - i) * 1000) });
    await request(ctx.app).post('/user/history/').set(auth(other.token)).send({ content: contents[0]!.id, position: 50, duration: 100 }).expect(200);

    const page1 = await request(ctx.app).get('/user/history/').set(auth(owner.token));
    expect(page1.status).toBe(200);
    expect(page1.body.count).toBe(21);
    expect(page1.body.results).toHaveLength(20);
    expect(page1.body.previous).toBeNull();
    expect(page1.body.next).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/user\/history\/\?page=2$/);
    expect(page1.body.results.map((r: { content: number }) => r.content)).toEqual(contents.slice(1).reverse().map((c) => c.id));
    expect(page1.body.results[0]).toEqual({ content: contents[20]!.id, position: 10, duration: 100, progress: 0.1, updated_at: expect.any(String), movie: null });
    const page2 = await request(ctx.app).get('/user/history/?page=2').set(auth(owner.token));
    expect(page2.body.results).toEqual([expect.objectContaining({ content: contents[0]!.id, position: 10, movie: expect.objectContaining({ id: m.id, genres: ['코미디'] }) })]);
    expect((await request(ctx.app).get('/user/history/?page=3').set(auth(owner.token))).status).toBe(404);

    // the other member sees only their own row (position 50), not the owner's
    const theirs = await request(ctx.app).get('/user/history/').set(auth(other.token));
    expect(theirs.body.count).toBe(1);
    expect(theirs.body.results).toEqual([expect.objectContaining({ content: contents[0]!.id, position: 50 })]);
    expect((await request(ctx.app).get('/user/history/')).status).toBe(401);
  });
});

describe('embedded mode (SQLite)', () => {
  let sqlite: TestContext & { app: Express };
  beforeAll(async () => {
    sqlite = await createTestApp({ dialect: 'sqlite', redis: false, env: { PROFILE_IMAGE_MAX_BYTES: String(MAX_IMAGE) } });
  });
  afterAll(async () => {
    await sqlite?.close();
  });

  it('my page reads the member in one statement, equal to the separate reads (SQLite)', async () => {
    await pageRowsMatchSeparateReads(sqlite);
  });

  it('records and lists watch history, and stores a profile image', async () => {
    const { token } = await signupAndLogin(sqlite.app);
    const c = await sqlite.rt.ds.getRepository(Content).save({ title: 'c', storageKey: 'k/1', sizeBytes: '1', sha256: 'c'.repeat(64), mimeType: 'video/mp4', status: 'ready' });
    await request(sqlite.app).post('/user/history/').set(auth(token)).send({ content: c.id, position: 0, duration: 60 }).expect(200);
    const second = await request(sqlite.app).post('/user/history/').set(auth(token)).send({ content: c.id, position: 50, duration: 60 }).expect(200);
    expect(second.body.watched_seconds).toBeLessThanOrEqual(1);
    const list = await request(sqlite.app).get('/user/history/').set(auth(token)).expect(200);
    expect(list.body).toEqual(expect.objectContaining({ count: 1, results: [expect.objectContaining({ content: c.id, position: 50, duration: 60 })] }));
    const up = await request(sqlite.app).post('/user/profile/').set(auth(token)).attach('file', png, { filename: 'a.png' }).expect(200);
    expect(existsSync(path.join(sqlite.config.mediaDir, up.body.file[0].replace(/^media\//, '')))).toBe(true);
  });
});

describe('with the read caches off (CATALOG_CACHE_TTL=0)', () => {
  let off: TestContext & { app: Express };
  beforeAll(async () => {
    off = await createTestApp({ dialect: 'sqlite', redis: false, env: { CATALOG_CACHE_TTL: '0' } });
  });
  afterAll(async () => {
    await off?.close();
  });

  it('my page lists the favourite cinemas as their rows are now, read by id', async () => {
    const { token } = await signupAndLogin(off.app);
    const saved = await off.rt.services.cinemas.saveCinema(null, null, { region: '서울', area: '중구', name: '캐시없는극장', address: '서울 중구', x: 126.98, y: 37.56, type: 'CGV' } as never);
    const raw = await off.rt.ds.getRepository(Cinema).save(off.rt.ds.getRepository(Cinema).create({ region: '서울', area: '중구', name: '직접넣은극장', address: '서울 중구', x: 126.98, y: 37.56, type: 'CGV' }));
    for (const id of [saved.id, raw.id]) await request(off.app).patch(`/cinema/${id}/pick/`).set(auth(token)).send('1').expect(200);
    // (Their order, newest pick first, is another test's: here only what each card says.)
    const names = async () => ((await request(off.app).get('/user/').set(auth(token)).expect(200)).body.data.pick_cinemas as Array<{ name: string }>).map((c) => c.name).sort();
    expect(await names()).toEqual(['직접넣은극장', '캐시없는극장']);
    await off.rt.services.cinemas.saveCinema(null, saved.id, { region: '서울', area: '중구', name: '새이름극장', address: '서울 중구', x: 126.98, y: 37.56, type: 'CGV' } as never);
    expect(await names()).toEqual(['새이름극장', '직접넣은극장']);
  });
});
